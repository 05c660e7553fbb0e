import { type AudioClip, type WavBitDepth, findChunk, frameCount, parseRiff } from '@sa3/nodes';
import { samplerChunk } from './wav-sampler-chunk.js';

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const BITS: Record<WavBitDepth, number> = { '16': 16, '24': 24, '32f': 32 };

/**
 * Writes a clip as a WAV file: 16/24-bit PCM (rounded half away from zero, clipped to the
 * integer range, full scale = 2^(bits-1) so k/2^(bits-1) round-trips exactly) or 32-bit float.
 * A clip with loop points inside it gets a smpl chunk after the data, so samplers loop it.
 */
export function encodeWav(clip: AudioClip, bitDepth: WavBitDepth): Uint8Array {
  const channels = clip.channels;
  const channelCount = channels.length;
  const frames = frameCount(clip);
  const isFloat = bitDepth === '32f';
  const bits = BITS[bitDepth];
  const blockAlign = channelCount * (bits / 8);
  const dataBytes = frames * blockAlign;
  const fmtSize = isFloat ? 18 : 16;
  // Non-PCM formats carry a fact chunk with the frame count.
  const factBytes = isFloat ? 12 : 0;
  const headerBytes = 12 + 8 + fmtSize + factBytes + 8;
  const pad = dataBytes & 1;
  const loop = clip.loop && clip.loop.startFrame >= 0 && clip.loop.endFrame < frames && clip.loop.startFrame <= clip.loop.endFrame ? clip.loop : undefined;
  const sampler = loop ? samplerChunk(loop, clip.sampleRate) : new Uint8Array(0);
  const total = headerBytes + dataBytes + pad + sampler.length;

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let p = 0;
  const ascii = (text: string): void => {
    for (let i = 0; i < text.length; i++) bytes[p++] = text.charCodeAt(i);
  };
  const u32 = (value: number): void => {
    view.setUint32(p, value, true);
    p += 4;
  };
  const u16 = (value: number): void => {
    view.setUint16(p, value, true);
    p += 2;
  };

  ascii('RIFF');
  u32(total - 8);
  ascii('WAVE');
  ascii('fmt ');
  u32(fmtSize);
  u16(isFloat ? WAVE_FORMAT_IEEE_FLOAT : WAVE_FORMAT_PCM);
  u16(channelCount);
  u32(clip.sampleRate);
  u32(clip.sampleRate * blockAlign);
  u16(blockAlign);
  u16(bits);
  if (isFloat) {
    u16(0);
    ascii('fact');
    u32(4);
    u32(frames);
  }
  ascii('data');
  u32(dataBytes);

  if (bitDepth === '32f') {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channelCount; c++) {
        view.setFloat32(p, channels[c]![i]!, true);
        p += 4;
      }
    }
  } else if (bitDepth === '16') {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channelCount; c++) {
        view.setInt16(p, quantize(channels[c]![i]!, 32_768, -32_768, 32_767), true);
        p += 2;
      }
    }
  } else {
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < channelCount; c++) {
        const v = quantize(channels[c]![i]!, 8_388_608, -8_388_608, 8_388_607);
        bytes[p] = v & 0xff;
        bytes[p + 1] = (v >> 8) & 0xff;
        bytes[p + 2] = (v >> 16) & 0xff;
        p += 3;
      }
    }
  }
  bytes.set(sampler, headerBytes + dataBytes + pad);
  return bytes;
}

export function quantize(sample: number, fullScale: number, min: number, max: number): number {
  if (Number.isNaN(sample)) return 0;
  const x = sample * fullScale;
  const rounded = x < 0 ? -Math.round(-x) : Math.round(x);
  return rounded > max ? max : rounded < min ? min : rounded;
}

export interface WavContents {
  readonly sampleRate: number;
  readonly bitsPerSample: number;
  readonly sampleFormat: 'int' | 'float';
  /** Planar samples scaled to [-1, 1) (integer formats divide by 2^(bits-1)). */
  readonly channels: Float32Array[];
}

/** A minimal WAV reader: PCM 8/16/24/32-bit and float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE. */
export function decodeWav(bytes: Uint8Array): WavContents {
  const layout = parseRiff(bytes);
  if (!layout || layout.form !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  const fmt = findChunk(layout, 'fmt ');
  const data = findChunk(layout, 'data');
  if (!fmt || fmt.size < 16) throw new Error('WAV file has no valid fmt chunk');
  if (!data) throw new Error('WAV file has no data chunk');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let formatTag = view.getUint16(fmt.dataOffset, true);
  const channelCount = view.getUint16(fmt.dataOffset + 2, true);
  const sampleRate = view.getUint32(fmt.dataOffset + 4, true);
  const blockAlign = view.getUint16(fmt.dataOffset + 12, true);
  const bitsPerSample = view.getUint16(fmt.dataOffset + 14, true);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && fmt.size >= 40) formatTag = view.getUint16(fmt.dataOffset + 24, true);
  const sampleFormat = formatTag === WAVE_FORMAT_IEEE_FLOAT ? 'float' : formatTag === WAVE_FORMAT_PCM ? 'int' : null;
  if (!sampleFormat) throw new Error(`unsupported WAV format tag ${formatTag}`);
  if (channelCount === 0 || blockAlign !== channelCount * (bitsPerSample / 8)) throw new Error('inconsistent WAV fmt chunk');

  const available = Math.min(data.size, bytes.length - data.dataOffset);
  const frames = Math.floor(available / blockAlign);
  const read = sampleReader(view, sampleFormat, bitsPerSample);
  const bytesPerSample = bitsPerSample / 8;
  const channels = Array.from({ length: channelCount }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    const frameOffset = data.dataOffset + i * blockAlign;
    for (let c = 0; c < channelCount; c++) channels[c]![i] = read(frameOffset + c * bytesPerSample);
  }
  return { sampleRate, bitsPerSample, sampleFormat, channels };
}

function sampleReader(view: DataView, format: 'int' | 'float', bits: number): (offset: number) => number {
  if (format === 'float') {
    if (bits === 32) return (o) => view.getFloat32(o, true);
    if (bits === 64) return (o) => view.getFloat64(o, true);
  } else {
    if (bits === 8) return (o) => (view.getUint8(o) - 128) / 128;
    if (bits === 16) return (o) => view.getInt16(o, true) / 32_768;
    if (bits === 24) return (o) => ((view.getUint8(o + 2) << 24) | (view.getUint8(o + 1) << 16) | (view.getUint8(o) << 8)) / 2_147_483_648;
    if (bits === 32) return (o) => view.getInt32(o, true) / 2_147_483_648;
  }
  throw new Error(`unsupported WAV sample format: ${bits}-bit ${format}`);
}
