import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findChunk, parseRiff } from '@sa3/nodes';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';
import { ffmpegDecode, ffprobeJson, makeTempDir, sineClip } from '../helpers/audio-files.js';
import { dominantFrequency } from '../helpers/spectrum.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

function clipOf(left: number[], right: number[]) {
  return { sampleRate: 44_100, channels: [Float32Array.from(left), Float32Array.from(right)] };
}

function fmtOf(bytes: Uint8Array) {
  const layout = parseRiff(bytes)!;
  const fmt = findChunk(layout, 'fmt ')!;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  return {
    layout,
    formatTag: view.getUint16(fmt.dataOffset, true),
    channels: view.getUint16(fmt.dataOffset + 2, true),
    sampleRate: view.getUint32(fmt.dataOffset + 4, true),
    byteRate: view.getUint32(fmt.dataOffset + 8, true),
    blockAlign: view.getUint16(fmt.dataOffset + 12, true),
    bits: view.getUint16(fmt.dataOffset + 14, true),
  };
}

describe('encodeWav', () => {
  it('writes 16-bit PCM with exact integer values, rounding half away from zero and clipping', () => {
    const left = [0, 0.5, -0.5, 1, -1, 2, -2, 1.5 / 32_768, -1.5 / 32_768, 0.25 / 32_768];
    const right = [0.25, -0.25, 0, 0, 0, 0, 0, 0, 0, 0];
    const bytes = encodeWav(clipOf(left, right), '16');
    const fmt = fmtOf(bytes);
    expect(fmt).toMatchObject({ formatTag: 1, channels: 2, sampleRate: 44_100, byteRate: 44_100 * 4, blockAlign: 4, bits: 16 });
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(bytes.length - 8);
    const data = findChunk(fmt.layout, 'data')!;
    expect(data.size).toBe(left.length * 4);
    const view = new DataView(bytes.buffer);
    const lefts = left.map((_, i) => view.getInt16(data.dataOffset + i * 4, true));
    expect(lefts).toEqual([0, 16_384, -16_384, 32_767, -32_768, 32_767, -32_768, 2, -2, 0]);
    expect(view.getInt16(data.dataOffset + 2, true)).toBe(8_192);

    const read = decodeWav(bytes);
    expect(read.sampleRate).toBe(44_100);
    expect(read.bitsPerSample).toBe(16);
    expect(read.channels[0]![1]).toBe(0.5);
    expect(read.channels[1]![1]).toBe(-0.25);
  });

  it('writes 24-bit PCM little-endian in three bytes per sample', () => {
    const value = 1_234_567 / 8_388_608;
    const bytes = encodeWav(clipOf([value, -value, 2.5 / 8_388_608, -2.5 / 8_388_608], [1, -1, 0, 0]), '24');
    const fmt = fmtOf(bytes);
    expect(fmt).toMatchObject({ formatTag: 1, blockAlign: 6, bits: 24, byteRate: 44_100 * 6 });
    const data = findChunk(fmt.layout, 'data')!;
    expect(Array.from(bytes.subarray(data.dataOffset, data.dataOffset + 6))).toEqual([0x87, 0xd6, 0x12, 0xff, 0xff, 0x7f]);
    const read = decodeWav(bytes);
    expect(read.channels[0]![0]).toBe(value);
    expect(read.channels[0]![1]).toBe(-value);
    expect(read.channels[0]![2]).toBe(3 / 8_388_608);
    expect(read.channels[0]![3]).toBe(-3 / 8_388_608);
    expect(read.channels[1]![1]).toBe(-1);
  });

  it('writes 32-bit float with WAVE_FORMAT_IEEE_FLOAT and a fact chunk, bit-exact', () => {
    const samples = [0.1, -0.333, 1.75, -3e-7];
    const bytes = encodeWav(
      clipOf(
        samples,
        samples.map((s) => -s),
      ),
      '32f',
    );
    const fmt = fmtOf(bytes);
    expect(fmt).toMatchObject({ formatTag: 3, bits: 32, blockAlign: 8 });
    expect(findChunk(fmt.layout, 'fmt ')!.size).toBe(18);
    const fact = findChunk(fmt.layout, 'fact')!;
    expect(new DataView(bytes.buffer).getUint32(fact.dataOffset, true)).toBe(samples.length);
    const read = decodeWav(bytes);
    expect(Array.from(read.channels[0]!)).toEqual(Array.from(Float32Array.from(samples)));
    expect(Array.from(read.channels[1]!)).toEqual(Array.from(Float32Array.from(samples.map((s) => -s))));
  });

  it.each([
    ['16', 'pcm_s16le', 2 ** -15],
    ['24', 'pcm_s24le', 2 ** -23],
    ['32f', 'pcm_f32le', 0],
  ] as const)('writes %s-bit files that ffmpeg reads as %s with the same samples', (bitDepth, codec, step) => {
    const clip = sineClip(1000, 1, 0.5);
    const path = join(temp.dir, `tone-${bitDepth}.wav`);
    writeFileSync(path, encodeWav(clip, bitDepth));
    const stream = ffprobeJson(path).streams[0]!;
    expect(stream).toMatchObject({ codec_name: codec, sample_rate: '44100', channels: 2 });
    expect(Number(stream.duration_ts)).toBe(44_100);
    const [left, right] = ffmpegDecode(path);
    expect(left!.length).toBe(44_100);
    let maxError = 0;
    for (let i = 0; i < left!.length; i++) maxError = Math.max(maxError, Math.abs(left![i]! - clip.channels[0]![i]!));
    expect(maxError).toBeLessThanOrEqual(step / 2 + 1e-9);
    expect(right).toEqual(left);
    expect(dominantFrequency(left!, 44_100)).toBeCloseTo(1000, 0);
  });

  it('writes an empty clip as a valid header with an empty data chunk', () => {
    const bytes = encodeWav({ sampleRate: 44_100, channels: [new Float32Array(0), new Float32Array(0)] }, '16');
    expect(bytes.length).toBe(44);
    expect(decodeWav(bytes).channels[0]!.length).toBe(0);
  });
});
