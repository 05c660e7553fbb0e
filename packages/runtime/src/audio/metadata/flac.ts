import { FLAC_BLOCK_VORBIS_COMMENT, FLAC_LAST_BLOCK, parseFlacMetadata, parseVorbisComments, VORBIS_KEY } from '@sa3/nodes';
import { buildVorbisComments, emptyVorbisComments, setComments } from './vorbis-comment.js';

const VENDOR = 'sa3-workflows';
const MAX_BLOCK_SIZE = 0xffffff;

/** Sets SA3_WORKFLOW=<json> in the FLAC file's Vorbis comments. */
export function embedInFlac(bytes: Uint8Array, json: string): Uint8Array {
  return setFlacComments(bytes, [[VORBIS_KEY, json]]);
}

/**
 * Sets each key=value in the VORBIS_COMMENT block (added after STREAMINFO when there is none),
 * replacing entries of the same keys, and rewrites the metadata block headers so exactly the last
 * one carries the last-block flag. The audio frames after the metadata are copied unchanged.
 */
export function setFlacComments(bytes: Uint8Array, entries: readonly (readonly [string, string])[]): Uint8Array {
  const { blocks, audioStart } = parseFlacMetadata(bytes);
  const index = blocks.findIndex((block) => block.type === FLAC_BLOCK_VORBIS_COMMENT);
  const comments = index >= 0 ? parseVorbisComments(blocks[index]!.data) : emptyVorbisComments(VENDOR);
  const block = { type: FLAC_BLOCK_VORBIS_COMMENT, data: buildVorbisComments(setComments(comments, entries)) };
  if (block.data.length > MAX_BLOCK_SIZE) throw new Error('cannot write the Vorbis comments: they are too large for a FLAC metadata block (16 MiB)');
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
