import { VORBIS_KEY } from './keys.js';
import { buildVorbisComments, getComment, parseVorbisComments, setComment } from './vorbis-comment.js';

interface OggPage {
  readonly offset: number;
  readonly length: number;
  readonly headerType: number;
  readonly serial: number;
  readonly sequence: number;
  readonly lacing: Uint8Array;
  readonly body: Uint8Array;
}

interface OggCodec {
  readonly headerPackets: number;
  readonly commentPrefix: Uint8Array;
}

const CONTINUED = 0x01;
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const VORBIS: OggCodec = { headerPackets: 3, commentPrefix: Uint8Array.of(3, ...ascii('vorbis')) };
const OPUS: OggCodec = { headerPackets: 2, commentPrefix: ascii('OpusTags') };

export function isOgg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x4f && bytes[1] === 0x67 && bytes[2] === 0x67 && bytes[3] === 0x53;
}

/**
 * Sets SA3_WORKFLOW=<json> in the comment header of a single-stream Ogg Vorbis or Opus file. The
 * comment and setup headers are repaginated; audio pages keep their bytes, except that their page
 * sequence numbers (and so CRCs) shift when the headers now take a different number of pages.
 */
export function embedInOgg(bytes: Uint8Array, json: string): Uint8Array {
  const pages = parseOggPages(bytes);
  const { codec, packets, headerPageCount } = readHeaders(pages);
  const comment = packets[1]!;
  const parsed = parseVorbisComments(comment.subarray(codec.commentPrefix.length));
  // Whatever follows the comment list (Vorbis' framing bit, Opus padding) is kept as it was.
  const trailer = comment.subarray(codec.commentPrefix.length + buildVorbisComments(parsed).length);
  const updated = concat([codec.commentPrefix, buildVorbisComments(setComment(parsed, VORBIS_KEY, json)), trailer]);

  const first = pages[0]!;
  const headerPages = paginate([updated, ...packets.slice(2)], first.serial, 1);
  const shift = headerPages.length - (headerPageCount - 1);
  const rest = pages.slice(headerPageCount).map((page) => (shift === 0 ? bytes.subarray(page.offset, page.offset + page.length) : renumbered(bytes, page, page.sequence + shift)));
  return concat([bytes.subarray(first.offset, first.offset + first.length), ...headerPages, ...rest]);
}

export function readFromOgg(bytes: Uint8Array): string | null {
  const { codec, packets } = readHeaders(parseOggPages(bytes, 16));
  const comment = packets[1]!;
  return getComment(parseVorbisComments(comment.subarray(codec.commentPrefix.length)), VORBIS_KEY);
}

function parseOggPages(bytes: Uint8Array, limit = Infinity): OggPage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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

/** The header packets and how many pages (from the first) they fill; they must end a page. */
function readHeaders(pages: readonly OggPage[]): { codec: OggCodec; packets: Uint8Array[]; headerPageCount: number } {
  const serial = pages[0]?.serial;
  if (pages.some((page) => page.serial !== serial)) throw new Error('only single-stream Ogg files are supported');
  const packets: Uint8Array[] = [];
  let partial: Uint8Array[] = [];
  let codec: OggCodec | undefined;
  for (let index = 0; index < pages.length; index++) {
    const page = pages[index]!;
    let bodyOffset = 0;
    for (const lace of page.lacing) {
      partial.push(page.body.subarray(bodyOffset, bodyOffset + lace));
      bodyOffset += lace;
      if (lace === 255) continue;
      packets.push(concat(partial));
      partial = [];
      codec ??= identify(packets[0]!);
      if (packets.length === 1 && (index !== 0 || bodyOffset !== page.body.length)) {
        throw new Error('the first Ogg page must hold exactly the identification header');
      }
      if (packets.length === codec.headerPackets) {
        if (bodyOffset !== page.body.length) throw new Error('the Ogg header packets do not end a page');
        return { codec, packets, headerPageCount: index + 1 };
      }
    }
  }
  throw new Error('the Ogg file ends inside its header packets');
}

function identify(firstPacket: Uint8Array): OggCodec {
  const head = String.fromCharCode(...firstPacket.subarray(0, 8));
  if (head.startsWith('\x01vorbis')) return VORBIS;
  if (head === 'OpusHead') return OPUS;
  throw new Error('only Ogg Vorbis and Ogg Opus files can carry an embedded workflow');
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
  const bodies = concat(packets);
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
    page[5] = continued ? CONTINUED : 0;
    // Header pages have granule position 0; a page on which no packet ends has -1.
    view.setBigInt64(6, endsAPacket ? 0n : -1n, true);
    view.setUint32(14, serial, true);
    view.setUint32(18, firstSequence + pages.length, true);
    page[26] = pageLaces.length;
    page.set(pageLaces.map((l) => l.lace), 27);
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

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}
