import { VENDOR, VORBIS_KEY } from './keys.js';
import { buildVorbisComments, emptyVorbisComments, getComment, parseVorbisComments, setComment } from './vorbis-comment.js';

const BLOCK_VORBIS_COMMENT = 4;
const LAST_BLOCK = 0x80;
const MAX_BLOCK_SIZE = 0xffffff;

interface MetadataBlock {
  readonly type: number;
  readonly data: Uint8Array;
}

export function isFlac(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x66 && bytes[1] === 0x4c && bytes[2] === 0x61 && bytes[3] === 0x43;
}

/**
 * Sets SA3_WORKFLOW=<json> in the VORBIS_COMMENT block (added after STREAMINFO when there is none)
 * and rewrites the metadata block headers so exactly the last one carries the last-block flag.
 * The audio frames after the metadata are copied unchanged.
 */
export function embedInFlac(bytes: Uint8Array, json: string): Uint8Array {
  const { blocks, audioStart } = parseFlac(bytes);
  const index = blocks.findIndex((block) => block.type === BLOCK_VORBIS_COMMENT);
  const comments = index >= 0 ? parseVorbisComments(blocks[index]!.data) : emptyVorbisComments(VENDOR);
  const block = { type: BLOCK_VORBIS_COMMENT, data: buildVorbisComments(setComment(comments, VORBIS_KEY, json)) };
  if (block.data.length > MAX_BLOCK_SIZE) throw new Error('cannot embed the workflow: it is too large for a FLAC metadata block (16 MiB)');
  const updated = index >= 0 ? blocks.with(index, block) : [blocks[0]!, block, ...blocks.slice(1)];

  const audio = bytes.subarray(audioStart);
  const metadataSize = updated.reduce((sum, b) => sum + 4 + b.data.length, 0);
  const out = new Uint8Array(4 + metadataSize + audio.length);
  out.set(bytes.subarray(0, 4));
  let p = 4;
  updated.forEach((b, i) => {
    out[p] = (i === updated.length - 1 ? LAST_BLOCK : 0) | b.type;
    out[p + 1] = (b.data.length >>> 16) & 0xff;
    out[p + 2] = (b.data.length >>> 8) & 0xff;
    out[p + 3] = b.data.length & 0xff;
    out.set(b.data, p + 4);
    p += 4 + b.data.length;
  });
  out.set(audio, p);
  return out;
}

export function readFromFlac(bytes: Uint8Array): string | null {
  const block = parseFlac(bytes).blocks.find((b) => b.type === BLOCK_VORBIS_COMMENT);
  return block ? getComment(parseVorbisComments(block.data), VORBIS_KEY) : null;
}

function parseFlac(bytes: Uint8Array): { blocks: MetadataBlock[]; audioStart: number } {
  if (!isFlac(bytes)) throw new Error('not a FLAC file');
  const blocks: MetadataBlock[] = [];
  let p = 4;
  for (;;) {
    if (p + 4 > bytes.length) throw new Error('the FLAC metadata ends early');
    const header = bytes[p]!;
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    if (p + 4 + size > bytes.length) throw new Error('a FLAC metadata block runs past the end of the file');
    blocks.push({ type: header & 0x7f, data: bytes.subarray(p + 4, p + 4 + size) });
    p += 4 + size;
    if (header & LAST_BLOCK) break;
  }
  if (blocks[0]?.type !== 0) throw new Error('the FLAC file does not start with a STREAMINFO block');
  return { blocks, audioStart: p };
}
