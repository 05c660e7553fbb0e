import { type AudioClip, frameCount } from '@sa3/nodes';

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Yields the clip as interleaved f32le PCM, a block of frames at a time (for ffmpeg's stdin). */
export function* interleavedF32le(clip: AudioClip, framesPerBlock = 65_536): Generator<Buffer> {
  const frames = frameCount(clip);
  const channelCount = clip.channels.length;
  for (let start = 0; start < frames; start += framesPerBlock) {
    const end = Math.min(frames, start + framesPerBlock);
    const block = Buffer.alloc((end - start) * channelCount * 4);
    const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
    let p = 0;
    for (let i = start; i < end; i++) {
      for (let c = 0; c < channelCount; c++) {
        view.setFloat32(p, clip.channels[c]![i]!, true);
        p += 4;
      }
    }
    yield block;
  }
}

/** Splits interleaved f32le PCM into one Float32Array per channel; a trailing partial frame is dropped. */
export function deinterleaveF32le(chunks: readonly Uint8Array[], channelCount: number): Float32Array[] {
  const totalBytes = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const frames = Math.floor(totalBytes / (4 * channelCount));
  const joined = new Uint8Array(frames * channelCount * 4);
  let offset = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.byteLength, joined.length - offset);
    if (take <= 0) break;
    joined.set(take === chunk.byteLength ? chunk : chunk.subarray(0, take), offset);
    offset += take;
  }
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  if (HOST_IS_LITTLE_ENDIAN) {
    const samples = new Float32Array(joined.buffer, 0, frames * channelCount);
    for (let c = 0; c < channelCount; c++) {
      const channel = channels[c]!;
      for (let i = 0, s = c; i < frames; i++, s += channelCount) channel[i] = samples[s]!;
    }
  } else {
    const view = new DataView(joined.buffer);
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channelCount; c++) channels[c]![i] = view.getFloat32((i * channelCount + c) * 4, true);
    }
  }
  return channels;
}
