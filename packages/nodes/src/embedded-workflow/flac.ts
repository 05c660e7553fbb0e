import { VORBIS_KEY } from './keys.js';
import { getVorbisComment, parseVorbisComments } from './vorbis-comment.js';

export const FLAC_BLOCK_VORBIS_COMMENT = 4;
export const FLAC_LAST_BLOCK = 0x80;

export interface FlacMetadataBlock {
  readonly type: number;
  readonly data: Uint8Array;
}

export function isFlac(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43;
}

/** SA3_WORKFLOW=... in the VORBIS_COMMENT metadata block. */
export function readFlacWorkflow(bytes: Uint8Array): string | null {
  const block = parseFlacMetadata(bytes).blocks.find((b) => b.type === FLAC_BLOCK_VORBIS_COMMENT);
  return block ? getVorbisComment(parseVorbisComments(block.data), VORBIS_KEY) : null;
}

/** The metadata blocks and where the audio frames start; throws on a damaged header. */
export function parseFlacMetadata(bytes: Uint8Array): { blocks: FlacMetadataBlock[]; audioStart: number } {
  if (!isFlac(bytes)) throw new Error('not a FLAC file');
  const blocks: FlacMetadataBlock[] = [];
  let p = 4;
  for (;;) {
    if (p + 4 > bytes.length) throw new Error('the FLAC metadata ends early');
    const header = bytes[p]!;
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (p + 4 + size > bytes.length) throw new Error('a FLAC metadata block runs past the end of the file');
    blocks.push({ type: header & 0x7f, data: bytes.subarray(p + 4, p + 4 + size) });
    p += 4 + size;
    if (header & FLAC_LAST_BLOCK) break;
  }
  if (blocks[0]?.type !== 0) throw new Error('the FLAC file does not start with a STREAMINFO block');
  return { blocks, audioStart: p };
}
