import { dataViewOf } from './bytes.js';

export interface OggPage {
  readonly offset: number;
  readonly length: number;
  readonly headerType: number;
  readonly serial: number;
  readonly sequence: number;
  readonly lacing: Uint8Array;
  readonly body: Uint8Array;
}

/** Header type flag: the page's first packet continues one from the previous page. */
export const OGG_CONTINUED = 0x01;

export function isOgg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53;
}

/** The pages from the start of the file, at most `limit`; throws where a page is missing or cut short. */
export function parseOggPages(bytes: Uint8Array, limit = Infinity): OggPage[] {
  const view = dataViewOf(bytes);
  const pages: OggPage[] = [];
  let p = 0;
  while (p < bytes.length && pages.length < limit) {
    if (p + 27 > bytes.length || view.getUint32(p, false) !== 0x4f676753) throw new Error(`no Ogg page at byte ${p}`);
    const segments = bytes[p + 26]!;
    const lacing = bytes.subarray(p + 27, p + 27 + segments);
    const bodySize = lacing.reduce((sum, lace) => sum + lace, 0);
    const length = 27 + segments + bodySize;
    if (p + length > bytes.length) throw new Error('the last Ogg page is cut short');
    pages.push({
      offset: p,
      length,
      headerType: bytes[p + 5]!,
      serial: view.getUint32(p + 14, true),
      sequence: view.getUint32(p + 18, true),
      lacing,
      body: bytes.subarray(p + 27 + segments, p + length),
    });
    p += length;
  }
  return pages;
}
