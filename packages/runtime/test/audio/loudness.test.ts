import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AudioClip, LoudnessTarget } from '@sa3/nodes';
import { afterAll, describe, expect, it } from 'vitest';
import { createAudioIO, encodeWav } from '../../src/audio/index.js';
import { reduceMetadata } from '../../src/audio/ebur128.js';
import { makeTempDir, sineClip } from '../helpers/audio-files.js';

const temp = makeTempDir('sa3-loudness-test-');
const audio = createAudioIO({ baseDir: temp.dir, tempDir: temp.dir });
const signal = new AbortController().signal;
afterAll(() => temp.remove());

const SECONDS = 10;
const DEFAULTS: LoudnessTarget = { integratedLufs: -14, truePeakDbtp: -1, rangeLu: 50 };

/** Pink noise (Paul Kellet's filter over a seeded white noise), a different stretch in each channel. */
function pinkNoise(seconds: number, amplitude: number): AudioClip {
  let state = 12_345;
  const white = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32) * 2 - 1;
  const channel = () => {
    const out = new Float32Array(seconds * 44_100);
    let [b0, b1, b2, b3, b4, b5, b6] = [0, 0, 0, 0, 0, 0, 0];
    for (let i = 0; i < out.length; i++) {
      const w = white();
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      out[i] = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362) * amplitude;
      b6 = w * 0.115926;
    }
    return out;
  };
  return { sampleRate: 44_100, channels: [channel(), channel()] };
}

/** ffmpeg's ebur128 filter run here, on a 32-bit float WAV of the clip: integrated loudness and true peak (dBTP). */
function ebur128(clip: AudioClip, name: string): { integrated: number; truePeak: number } {
  const wav = join(temp.dir, `${name}.wav`);
  const log = join(temp.dir, `${name}.r128.txt`);
  writeFileSync(wav, encodeWav(clip, '32f'));
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', wav, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${log}`, '-f', 'null', '-']);
  const last = (key: string) => {
    const values = [...readFileSync(log, 'utf8').matchAll(new RegExp(`^lavfi\\.r128\\.${key}=(.+)$`, 'gm'))].map((m) => Number(m[1]));
    return values[values.length - 1]!;
  };
  return { integrated: last('I'), truePeak: 20 * Math.log10(last('true_peak')) };
}

describe('normalizeLoudness (two-pass loudnorm)', () => {
  it.each([
    ['pink noise', () => pinkNoise(SECONDS, 0.05)],
    ['a 997 Hz sine', () => sineClip(997, SECONDS, 0.05)],
  ])('brings %s to -14 LUFS under -1 dBTP, as ebur128 measures it, with the same sample count', async (name, make) => {
    const source = make();
    const out = await audio.normalizeLoudness(source, DEFAULTS, signal);
    expect(out.sampleRate).toBe(44_100);
    expect(out.channels.map((c) => c.length)).toEqual(source.channels.map((c) => c.length));
    const measured = ebur128(out, name.replace(/\W+/g, '-'));
    expect(Math.abs(measured.integrated - DEFAULTS.integratedLufs)).toBeLessThanOrEqual(0.5);
    expect(measured.truePeak).toBeLessThan(DEFAULTS.truePeakDbtp);
    // The loudness the clip carries (for the summary and the file's metadata) is that same measurement.
    expect(out.loudness!.integratedLufs).toBeCloseTo(measured.integrated, 2);
    expect(out.loudness!.truePeakDbtp).toBeCloseTo(measured.truePeak, 2);
    expect(out.loudness!.mode).toBe('linear');
    expect(out.loudness!.source!.integratedLufs).toBeLessThan(-17);
  });

  it('uses dynamic mode when one gain would break the ceiling, and still ends under it', async () => {
    const target = { integratedLufs: -14, truePeakDbtp: -8, rangeLu: 50 };
    const source = pinkNoise(SECONDS, 0.05);
    const out = await audio.normalizeLoudness(source, target, signal);
    expect(out.channels[0]!.length).toBe(source.channels[0]!.length);
    const measured = ebur128(out, 'pink-dynamic');
    expect(out.loudness!.mode).toBe('dynamic');
    expect(measured.truePeak).toBeLessThan(target.truePeakDbtp);
    expect(out.loudness!.integratedLufs).toBeCloseTo(measured.integrated, 2);
  });

  it('refuses silence in one sentence naming the input', async () => {
    const silence: AudioClip = { sampleRate: 44_100, channels: [new Float32Array(44_100 * 2), new Float32Array(44_100 * 2)] };
    await expect(audio.normalizeLoudness(silence, DEFAULTS, signal)).rejects.toMatchObject({
      code: 'loudness_unmeasurable',
      input: 'audio',
      message: expect.stringMatching(/^the audio is silent .* no loudness to bring to the target$/) as unknown,
    });
  });

  it.each([
    [{ ...DEFAULTS, integratedLufs: -3 }, 'target_lufs', /target_lufs is -3 LUFS, outside the -70\.\.-5 LUFS/],
    [{ ...DEFAULTS, truePeakDbtp: 0.5 }, 'true_peak_dbtp', /true_peak_dbtp is 0\.5 dBTP, outside the -9\.\.0 dBTP/],
  ])("refuses a target outside the filter's range (%o)", async (target, param, message) => {
    await expect(audio.normalizeLoudness(sineClip(440, 2, 0.1), target, signal)).rejects.toMatchObject({
      code: 'value_out_of_range',
      param,
      message: expect.stringMatching(message) as unknown,
    });
  });
});

describe('reduceMetadata', () => {
  it('reads the last integrated loudness and range, the highest momentary and short-term loudness, and the true peak in dBTP', () => {
    const text = [
      'frame:0    pts:0       pts_time:0',
      'lavfi.r128.M=-120.691',
      'lavfi.r128.S=-120.691',
      'lavfi.r128.I=-70.000',
      'lavfi.r128.LRA=0.000',
      'lavfi.r128.true_peak=0.500',
      'frame:1    pts:4410    pts_time:0.1',
      'lavfi.r128.M=-13.500',
      'lavfi.r128.S=-14.200',
      'lavfi.r128.I=-14.012',
      'lavfi.r128.LRA=3.250',
      'lavfi.r128.true_peak=0.891',
    ].join('\n');
    const result = reduceMetadata(text)!;
    expect(result).toMatchObject({ integratedLufs: -14.012, rangeLu: 3.25, maxMomentaryLufs: -13.5, maxShortTermLufs: -14.2 });
    expect(result.truePeakDbtp).toBeCloseTo(20 * Math.log10(0.891), 9);
  });

  it('finds no loudness in audio under the -70 LUFS gate', () => {
    expect(reduceMetadata('lavfi.r128.I=-70.000\nlavfi.r128.true_peak=0.000\n')).toBeUndefined();
  });
});
