import { dataViewOf } from './bytes.js';
import { parseTxxx } from './id3-txxx.js';
import { ID3_DESCRIPTION } from './keys.js';

const FLAG_UNSYNCHRONISATION = 0x80;
const FLAG_EXTENDED_HEADER = 0x40;
const FLAG_FOOTER = 0x10;

export interface Id3Tag {
  readonly version: number;
  /** Bytes from the start of the file to the first byte after the tag (footer included). */
  readonly end: number;
  readonly frames: readonly Id3Frame[];
}

export interface Id3Frame {
  readonly id: string;
  /** Header flags as stored (their meaning differs between v2.3 and v2.4). */
  readonly flags: number;
  readonly data: Uint8Array;
}

export function hasId3Tag(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33;
}

/** The value of the ID3v2.3/2.4 TXXX frame described "sa3-workflow". */
export function readMp3Workflow(bytes: Uint8Array): string | null {
  const frame = parseId3Tag(bytes)?.frames.find(isWorkflowFrame);
  return frame ? (parseTxxx(frame.data)?.value ?? null) : null;
}

/** A plain (flagless) TXXX frame described "sa3-workflow". */
export function isWorkflowFrame(frame: Id3Frame): boolean {
  return frame.id === 'TXXX' && frame.flags === 0 && parseTxxx(frame.data)?.description === ID3_DESCRIPTION;
}

/** The ID3v2 tag at the start of the file, or null; throws when the tag runs past the end. */
export function parseId3Tag(bytes: Uint8Array): Id3Tag | null {
  if (!hasId3Tag(bytes)) return null;
  const version = bytes[3]!;
  const flags = bytes[5]!;
  const size = readSyncsafe(bytes, 6);
  const end = 10 + size + (version >= 4 && flags & FLAG_FOOTER ? 10 : 0);
  if (end > bytes.length) throw new Error('the ID3v2 tag runs past the end of the file');
  // v2.2 frames (three-letter ids) and unsynchronised tags are not read: they list no frames.
  if ((version !== 3 && version !== 4) || flags & FLAG_UNSYNCHRONISATION) return { version, end, frames: [] };
  const view = dataViewOf(bytes);
  let p = 10;
  if (flags & FLAG_EXTENDED_HEADER) p += version === 4 ? readSyncsafe(bytes, 10) : 4 + view.getUint32(10, false);
  const frames: Id3Frame[] = [];
  const framesEnd = 10 + size;
  while (p + 10 <= framesEnd) {
    const id = String.fromCharCode(bytes[p]!, bytes[p + 1]!, bytes[p + 2]!, bytes[p + 3]!);
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding
    const frameSize = version === 4 ? readSyncsafe(bytes, p + 4) : view.getUint32(p + 4, false);
    const dataStart = p + 10;
    if (dataStart + frameSize > framesEnd) break;
    frames.push({ id, flags: view.getUint16(p + 8, false), data: bytes.subarray(dataStart, dataStart + frameSize) });
    p = dataStart + frameSize;
  }
  return { version, end, frames };
}

function readSyncsafe(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! & 0x7f) << 21) | ((bytes[offset + 1]! & 0x7f) << 14) | ((bytes[offset + 2]! & 0x7f) << 7) | (bytes[offset + 3]! & 0x7f);
}
