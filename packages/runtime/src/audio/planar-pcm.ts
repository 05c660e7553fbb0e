import { SAMPLE_RATE } from '@sa3/nodes';

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const EMPTY = Buffer.alloc(0);

/**
 * Interleaved f32le PCM as it streams out of ffmpeg, split into one growing Float32Array per
 * channel as it arrives, up to `maxFrames`: the decoded audio is held once, never as a list of
 * chunks plus a joined copy plus the split, and a stream longer than the limit is not kept.
 */
export class PlanarPcm {
  private channels: Float32Array[];
  private capacity: number;
  private carry: Buffer = EMPTY;
  private length = 0;
  private over = false;

  /** `expectedFrames`, when the container states its length, sizes the arrays once. */
  constructor(
    private readonly channelCount: number,
    private readonly maxFrames: number,
    expectedFrames: number | undefined,
  ) {
    this.capacity = Math.min(maxFrames, Math.max(1, expectedFrames ?? 30 * SAMPLE_RATE));
    this.channels = Array.from({ length: channelCount }, () => new Float32Array(this.capacity));
  }

  get frames(): number {
    return this.length;
  }

  /** Whether the stream went past maxFrames (what came after is dropped). */
  get overflowed(): boolean {
    return this.over;
  }

  /** Takes the next bytes of the stream; false once it has gone past maxFrames. */
  append(chunk: Buffer): boolean {
    if (this.over) return false;
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const frameBytes = 4 * this.channelCount;
    const frames = Math.floor(bytes.length / frameBytes);
    // A frame split between two chunks waits for the rest (a copy: the chunk's memory is not ours to keep).
    this.carry = Buffer.from(bytes.subarray(frames * frameBytes));
    if (this.length + frames > this.maxFrames) {
      this.over = true;
      return false;
    }
    this.reserve(this.length + frames);
    const used = frames * frameBytes;
    if (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
      this.split(new Float32Array(bytes.buffer, bytes.byteOffset, used / 4), frames);
    } else {
      const aligned = new Uint8Array(used);
      aligned.set(bytes.subarray(0, used));
      if (HOST_IS_LITTLE_ENDIAN) this.split(new Float32Array(aligned.buffer), frames);
      else this.splitBigEndianHost(new DataView(aligned.buffer), frames);
    }
    this.length += frames;
    return true;
  }

  /** One array per channel, exactly as long as what was decoded. */
  take(): Float32Array[] {
    return this.channels.map((channel) => (channel.length === this.length ? channel : channel.slice(0, this.length)));
  }

  private split(samples: Float32Array, frames: number): void {
    const count = this.channelCount;
    for (let c = 0; c < count; c++) {
      const channel = this.channels[c]!;
      for (let i = 0, s = c, at = this.length; i < frames; i++, s += count, at++) channel[at] = samples[s]!;
    }
  }

  private splitBigEndianHost(view: DataView, frames: number): void {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < this.channelCount; c++) this.channels[c]![this.length + i] = view.getFloat32((i * this.channelCount + c) * 4, true);
    }
  }

  /**
   * Grows the arrays to maxFrames at once when `frames` would not fit: a fresh typed array is
   * zero-filled memory the system hands out page by page as it is written, so this costs what is
   * decoded, not the limit, and the samples are copied at most once more (by take()).
   */
  private reserve(frames: number): void {
    if (frames <= this.capacity) return;
    this.channels = this.channels.map((old) => {
      const grown = new Float32Array(this.maxFrames);
      grown.set(old.subarray(0, this.length));
      return grown;
    });
    this.capacity = this.maxFrames;
  }
}
