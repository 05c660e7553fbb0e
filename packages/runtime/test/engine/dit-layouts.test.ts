import { describe, expect, it } from 'vitest';
import { dominantFrequency } from '../helpers/spectrum.js';
import { callContext, conditioning, sameSamples, testPackRoot } from './test-packs.js';

describe('the three DiT I/O layouts', () => {
  it('baked, explicit with conditioner weights and explicit with a conditioner graph make identical audio from the same test weights', async () => {
    const { engine } = await testPackRoot({
      baked: { objective: 'rf_denoiser', layout: 'baked' },
      weights: { objective: 'rf_denoiser', layout: 'explicit', keyMask: false, conditioner: 'weights' },
      graph: { objective: 'rf_denoiser', layout: 'explicit', keyMask: false, conditioner: 'graph' },
      'weights-masked': { objective: 'rf_denoiser', layout: 'explicit', conditioner: 'weights' },
      'graph-masked': { objective: 'rf_denoiser', layout: 'explicit', conditioner: 'graph' },
    });
    const run = (model: string, text = 'a gentle whistle', extra: { cfgScale?: number; negative?: string } = {}) =>
      engine.generate(
        {
          model,
          prompt: conditioning(text, model),
          ...(extra.negative ? { negative: conditioning(extra.negative, model) } : {}),
          steps: 8,
          cfgScale: extra.cfgScale ?? 1,
          seed: 99,
          durationSeconds: 3,
        },
        callContext(),
      );
    const baked = await run('baked');
    expect(sameSamples(baked, await run('weights'))).toBe(true);
    expect(sameSamples(baked, await run('graph'))).toBe(true);
    // A DiT with a padding_mask input samples under the official length rule (6 s of masked
    // headroom), so layouts with the key mask are compared with each other.
    const masked = await run('weights-masked');
    expect(sameSamples(masked, await run('graph-masked'))).toBe(true);
    expect(dominantFrequency(masked.channels[0]!, 44_100)).toBeCloseTo(dominantFrequency(baked.channels[0]!, 44_100), 1);
    // Guided sampling runs the unconditional and negative branches through the same conditioning.
    expect(sameSamples(await run('weights', 'mid', { cfgScale: 3, negative: 'low' }), await run('graph', 'mid', { cfgScale: 3, negative: 'low' }))).toBe(true);
    // The conditioner graph ran once per generate, not once per step.
    expect((await engine.stats('graph')).conditioner?.runs).toBe(2);
    await engine.close();
  });

  it('the conditioner graph computes the seconds embedding the conditioner weights give; without weights there is no padding embedding', async () => {
    const { engine } = await testPackRoot({
      weights: { objective: 'rf_denoiser', layout: 'explicit', conditioner: 'weights' },
      graph: { objective: 'rf_denoiser', layout: 'explicit', conditioner: 'graph' },
      baked: { objective: 'rf_denoiser', layout: 'baked' },
    });
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    const rows = async (seconds: number) =>
      [(await (await engine.pack('weights')).explicitConditioning(seconds))!, (await (await engine.pack('graph')).explicitConditioning(seconds))!] as const;
    for (const seconds of [0, 3, 47.5, 120, 383]) {
      const [fromWeights, fromGraph] = await rows(seconds);
      const [other] = await rows(seconds + 1);
      expect(fromGraph.secondsRow.length).toBe(768);
      // The graph takes its Fourier angles (up to ~6e4 rad) in float32 in another order than
      // TypeScript: close, far closer than the embedding of another duration.
      expect(maxDiff(fromGraph.secondsRow, fromWeights.secondsRow)).toBeLessThan(maxDiff(fromWeights.secondsRow, other.secondsRow) / 20);
      expect(fromWeights.paddingEmbedding).toHaveLength(768);
      expect(fromGraph.paddingEmbedding).toBeNull();
    }
    expect(await (await engine.pack('baked')).explicitConditioning(3)).toBeNull();
    await engine.close();
  });
});
