import { type AudioClip, frameCount } from '@sa3/nodes';

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
