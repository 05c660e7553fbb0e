import { concatBytes } from './bytes.js';
import { VORBIS_KEY } from './keys.js';
import { type OggPage, parseOggPages } from './ogg-pages.js';
import { getVorbisComment, parseVorbisComments } from './vorbis-comment.js';

export interface OggCodec {
  readonly headerPackets: number;
  readonly commentPrefix: Uint8Array;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const VORBIS: OggCodec = { headerPackets: 3, commentPrefix: Uint8Array.of(3, ...ascii('vorbis')) };
const OPUS: OggCodec = { headerPackets: 2, commentPrefix: ascii('OpusTags') };
// The headers are read from the first pages only (room for about 1 MB of comments), not the whole file.
const HEADER_PAGE_LIMIT = 16;

/** SA3_WORKFLOW=... in the comment header of a single-stream Ogg Vorbis or Opus file. */
export function readOggWorkflow(bytes: Uint8Array): string | null {
  const { codec, packets } = readOggHeaders(parseOggPages(bytes, HEADER_PAGE_LIMIT));
  const comment = packets[1]!;
  return getVorbisComment(parseVorbisComments(comment.subarray(codec.commentPrefix.length)), VORBIS_KEY);
}

/** The header packets and how many pages (from the first) they fill; they must end a page. */
export function readOggHeaders(pages: readonly OggPage[]): { codec: OggCodec; packets: Uint8Array[]; headerPageCount: number } {
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
      packets.push(concatBytes(partial));
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
