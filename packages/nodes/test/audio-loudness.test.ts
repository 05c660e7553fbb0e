import { describe, expect, it } from 'vitest';
import {
  type AudioClip,
  type LoudnessTarget,
  type NodeServices,
  checkNodeParams,
  describeClip,
  getNodeDefinition,
  outputValueSummarySchema,
  resolveParams,
} from '../src/index.js';

const loudness = getNodeDefinition('audio.loudness')!;

describe('audio.loudness', () => {
  it('is in the catalogue with a -14 LUFS target, a -1 dBTP ceiling and the widest loudness range by default', () => {
    expect(loudness).toMatchObject({ category: 'Audio utilities', typeVersion: 1 });
    expect(resolveParams(loudness, {})).toEqual({ target_lufs: -14, true_peak_dbtp: -1, loudness_range: 50 });
    expect(checkNodeParams(loudness, {})).toEqual([]);
  });

  it('refuses a target outside -70..-5 LUFS and a ceiling above 0 dBTP, one sentence each', () => {
    expect(checkNodeParams(loudness, { target_lufs: -3, true_peak_dbtp: 1, loudness_range: 0 })).toEqual([
      { kind: 'value', code: 'value_bigger_than_max', param: 'target_lufs', message: 'is -3, above the maximum -5 LUFS' },
      { kind: 'value', code: 'value_bigger_than_max', param: 'true_peak_dbtp', message: 'is 1, above the maximum 0 dBTP' },
      { kind: 'value', code: 'value_smaller_than_min', param: 'loudness_range', message: 'is 0, below the minimum 1 LU' },
    ]);
    expect(checkNodeParams(loudness, { target_lufs: -80 })[0]).toMatchObject({ code: 'value_smaller_than_min', param: 'target_lufs' });
  });

  it("hands its params to the host's loudness service as a target", async () => {
    const source: AudioClip = { sampleRate: 44_100, channels: [new Float32Array(4), new Float32Array(4)] };
    const asked: LoudnessTarget[] = [];
    const services = {
      engine: null,
      audio: {
        normalizeLoudness: (clip: AudioClip, target: LoudnessTarget) => {
          asked.push(target);
          return Promise.resolve({ ...clip, loudness: { integratedLufs: -16, rangeLu: 2, truePeakDbtp: -2 } });
        },
      },
    } as unknown as NodeServices;
    const params = resolveParams(loudness, { target_lufs: -16, true_peak_dbtp: -2 });
    const context = { nodeId: 'l', params, inputs: { audio: source }, services, signal: new AbortController().signal, progress: () => {}, emitFile: () => {} };
    const outputs = (await loudness.run(context)) as { audio: AudioClip };
    expect(asked).toEqual([{ integratedLufs: -16, truePeakDbtp: -2, rangeLu: 50 }]);
    expect(outputs.audio.loudness).toEqual({ integratedLufs: -16, rangeLu: 2, truePeakDbtp: -2 });
  });

  it("puts a clip's measured loudness into its output summary, which the protocol accepts", () => {
    const measured = {
      integratedLufs: -14.01,
      rangeLu: 3.2,
      truePeakDbtp: -1.3,
      maxMomentaryLufs: -10.2,
      maxShortTermLufs: -12,
      source: { integratedLufs: -20, rangeLu: 3.1, truePeakDbtp: -7 },
      mode: 'linear' as const,
    };
    const clip: AudioClip = { sampleRate: 44_100, channels: [new Float32Array(10), new Float32Array(10)], loudness: measured };
    const summary = { type: 'audio' as const, ...describeClip(clip) };
    expect(outputValueSummarySchema.parse(summary)).toEqual(summary);
    expect(summary.loudness).toEqual(measured);
    expect('loudness' in describeClip({ sampleRate: 44_100, channels: [new Float32Array(3)] })).toBe(false);
  });
});
