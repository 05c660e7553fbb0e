import { concatBytes, OGG_CONTINUED, type OggPage, parseOggPages, parseVorbisComments, readOggHeaders, VORBIS_KEY } from '@sa3/nodes';
import { buildVorbisComments, setComments } from './vorbis-comment.js';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Sets SA3_WORKFLOW=<json> in the comment header of a single-stream Ogg Vorbis or Opus file. */
export function embedInOgg(bytes: Uint8Array, json: string): Uint8Array {
  return setOggComments(bytes, [[VORBIS_KEY, json]]);
}

/**
 * Sets each key=value in the comment header of a single-stream Ogg Vorbis or Opus file, replacing
 * entries of the same keys. The comment and setup headers are repaginated; audio pages keep their
 * bytes, except that their page sequence numbers (and so CRCs) shift when the headers now take a
 * different number of pages.
 */
export function setOggComments(bytes: Uint8Array, entries: readonly (readonly [string, string])[]): Uint8Array {
  const pages = parseOggPages(bytes);
  const { codec, packets, headerPageCount } = readOggHeaders(pages);
  const comment = packets[1]!;
  const parsed = parseVorbisComments(comment.subarray(codec.commentPrefix.length));
  // Whatever follows the comment list (Vorbis' framing bit, Opus padding) is kept as it was.
  const trailer = comment.subarray(codec.commentPrefix.length + buildVorbisComments(parsed).length);
  const updated = concatBytes([codec.commentPrefix, buildVorbisComments(setComments(parsed, entries)), trailer]);

  const first = pages[0]!;
  const headerPages = paginate([updated, ...packets.slice(2)], first.serial, 1);
  const shift = headerPages.length - (headerPageCount - 1);
  const rest = pages
    .slice(headerPageCount)
    .map((page) => (shift === 0 ? bytes.subarray(page.offset, page.offset + page.length) : renumbered(bytes, page, page.sequence + shift)));
  return concatBytes([bytes.subarray(first.offset, first.offset + first.length), ...headerPages, ...rest]);
}

/** Lays packets out on pages of at most 255 segments; the last packet ends the last page. */
function paginate(packets: readonly Uint8Array[], serial: number, firstSequence: number): Uint8Array[] {
  const laces: { lace: number; endsPacket: boolean }[] = [];
  for (const packet of packets) {
    for (let left = packet.length; ; left -= 255) {
      laces.push({ lace: Math.min(left, 255), endsPacket: left < 255 });
      if (left < 255) break;
    }
  }
  const bodies = concatBytes(packets);
  const pages: Uint8Array[] = [];
  let bodyOffset = 0;
  let continued = false;
  for (let start = 0; start < laces.length; start += 255) {
    const pageLaces = laces.slice(start, start + 255);
    const bodySize = pageLaces.reduce((sum, l) => sum + l.lace, 0);
    const endsAPacket = pageLaces.some((l) => l.endsPacket);
    const page = new Uint8Array(27 + pageLaces.length + bodySize);
    const view = new DataView(page.buffer);
    page.set(ascii('OggS'), 0);
    page[5] = continued ? OGG_CONTINUED : 0;
    // Header pages have granule position 0; a page on which no packet ends has -1.
    view.setBigInt64(6, endsAPacket ? 0n : -1n, true);
    view.setUint32(14, serial, true);
    view.setUint32(18, firstSequence + pages.length, true);
    page[26] = pageLaces.length;
    page.set(
      pageLaces.map((l) => l.lace),
      27,
    );
    page.set(bodies.subarray(bodyOffset, bodyOffset + bodySize), 27 + pageLaces.length);
    view.setUint32(22, oggCrc(page), true);
    pages.push(page);
    bodyOffset += bodySize;
    continued = !pageLaces[pageLaces.length - 1]!.endsPacket;
  }
  return pages;
}

function renumbered(bytes: Uint8Array, page: OggPage, sequence: number): Uint8Array {
  const out = bytes.slice(page.offset, page.offset + page.length);
  const view = new DataView(out.buffer);
  view.setUint32(18, sequence, true);
  view.setUint32(22, 0, true);
  view.setUint32(22, oggCrc(out), true);
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, no reflection), over the page with its CRC field zeroed. */
function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!;
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  }
  return crc;
}
