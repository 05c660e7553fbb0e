import { FLAC_BLOCK_VORBIS_COMMENT, FLAC_LAST_BLOCK, parseFlacMetadata, parseVorbisComments, VORBIS_KEY } from '@sa3/nodes';
import { buildVorbisComments, emptyVorbisComments, setComment } from './vorbis-comment.js';

const VENDOR = 'sa3-workflows';
const MAX_BLOCK_SIZE = 0xffffff;

/**
 * Sets SA3_WORKFLOW=<json> in the VORBIS_COMMENT block (added after STREAMINFO when there is none)
 * and rewrites the metadata block headers so exactly the last one carries the last-block flag.
 * The audio frames after the metadata are copied unchanged.
 */
export function embedInFlac(bytes: Uint8Array, json: string): Uint8Array {
  const { blocks, audioStart } = parseFlacMetadata(bytes);
  const index = blocks.findIndex((block) => block.type === FLAC_BLOCK_VORBIS_COMMENT);
  const comments = index >= 0 ? parseVorbisComments(blocks[index]!.data) : emptyVorbisComments(VENDOR);
  const block = { type: FLAC_BLOCK_VORBIS_COMMENT, data: buildVorbisComments(setComment(comments, VORBIS_KEY, json)) };
  if (block.data.length > MAX_BLOCK_SIZE) throw new Error('cannot embed the workflow: it is too large for a FLAC metadata block (16 MiB)');
  const updated = index >= 0 ? blocks.with(index, block) : [blocks[0]!, block, ...blocks.slice(1)];

  const audio = bytes.subarray(audioStart);
  const metadataSize = updated.reduce((sum, b) => sum + 4 + b.data.length, 0);
  const out = new Uint8Array(4 + metadataSize + audio.length);
  out.set(bytes.subarray(0, 4));
  let p = 4;
  updated.forEach((b, i) => {
    out[p] = (i === updated.length - 1 ? FLAC_LAST_BLOCK : 0) | b.type;
    out[p + 1] = (b.data.length >>> 16) & 0xff;
    out[p + 2] = (b.data.length >>> 8) & 0xff;
    out[p + 3] = b.data.length & 0xff;
    out.set(b.data, p + 4);
    p += 4 + b.data.length;
  });
  out.set(audio, p);
  return out;
}
