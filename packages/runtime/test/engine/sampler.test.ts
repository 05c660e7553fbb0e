import { describe, expect, it } from 'vitest';
import { samplingSchedule } from '../../src/engine/schedule.js';
import { sampleEuler, samplePingPong } from '../../src/engine/sampler.js';
import { guidedVelocity } from '../../src/engine/guidance.js';
import { compactLayout, officialLayout } from '../../src/engine/latent-layout.js';
import { haveReference, maxAbsDiff, openReference } from './fixtures.js';

const reference = haveReference();

describe('schedule', () => {
  it('8 and 4 steps equal the reference values to 1e-5', () => {
    const eight = [1.0, 0.99438, 0.98448, 0.95791, 0.8909, 0.74555, 0.5125, 0.27389, 0.0];
    const four = [1.0, 0.98448, 0.8909, 0.5125, 0.0];
    expect(maxAbsDiff(samplingSchedule(8), eight)).toBeLessThan(1e-5);
    expect(maxAbsDiff(samplingSchedule(4), four)).toBeLessThan(1e-5);
  });

  it('for audio-to-audio it is the full schedule scaled, so it always decreases', () => {
    const s = samplingSchedule(8, 0.9);
    expect(s[0]).toBe(0.9);
    expect(s[1]).toBeCloseTo(0.9 * 0.994375587, 7);
    for (let i = 1; i < s.length; i++) expect(s[i]!).toBeLessThan(s[i - 1]!);
  });

  it.runIf(reference)('matches the sigmas stored with the official 8-step sample', async () => {
    const file = await openReference('medium-tiny/sample_pingpong_8step.safetensors');
    expect(maxAbsDiff(samplingSchedule(8), await file.readFloat32('schedule_sigmas'))).toBeLessThan(1e-7);
    await file.close();
  });
});

describe('latent layout', () => {
  it.each([
    [1, 76, 75],
    [5, 120, 118],
    [10, 174, 172],
    [30, 388, 387],
    [60, 712, 710],
    [380, 4096, 4096],
  ])('official rule, %d s on medium -> L %d, valid %d', (seconds, latents, valid) => {
    expect(officialLayout(seconds, 16_777_216)).toEqual({ latents, validLatents: valid, frames: seconds * 44_100 });
  });

  it('official rule caps small at its sample size (120 s -> 1292 latents)', () => {
    expect(officialLayout(120, 5_292_032)).toMatchObject({ latents: 1292, validLatents: 1292 });
  });

  it('compact rule is ceil(d * 44100 / 4096) with no padding', () => {
    expect(compactLayout(30, 16_777_216)).toEqual({ latents: 323, validLatents: 323, frames: 1_323_000 });
    expect(compactLayout(0.01, 16_777_216).latents).toBe(1);
  });
});

describe.runIf(reference)('samplers replay the official runs', () => {
  for (const model of ['medium-tiny', 'small-tiny']) {
    it(`${model}: ping-pong, 8 steps, from the recorded velocities and noises`, async () => {
      const file = await openReference(`${model}/sample_pingpong_8step.safetensors`);
      const start = await file.readFloat32('in_initial_noise');
      const velocities = await Promise.all(Array.from({ length: 8 }, (_, i) => file.readFloat32(`step${i}_v`)));
      const noises = await Promise.all(Array.from({ length: 8 }, (_, i) => file.readFloat32(`step${i}_noise`)));
      const inputs = await Promise.all(Array.from({ length: 8 }, (_, i) => file.readFloat32(`step${i}_x`)));
      const seen: number[] = [];
      const out = await samplePingPong({
        start,
        sigmas: samplingSchedule(8),
        model: (x, t, step) => {
          expect(maxAbsDiff(x, inputs[step]!)).toBeLessThan(1e-5);
          seen.push(t);
          return Promise.resolve(velocities[step]!);
        },
        stepNoise: (step) => noises[step]!,
      });
      expect(maxAbsDiff(seen, await file.readFloat32('schedule_sigmas').then((s) => s.slice(0, 8)))).toBeLessThan(1e-7);
      expect(maxAbsDiff(out, await file.readFloat32('out_latents'))).toBeLessThan(1e-5);
      await file.close();
    });
  }

  it('small-tiny base: Euler with CFG 3 and APG from the recorded cond/uncond velocities', async () => {
    const file = await openReference('small-tiny/sample_euler_cfg3_apg.safetensors');
    const start = await file.readFloat32('in_initial_noise');
    const mask = await file.readFloat32('in_padding_mask');
    const validLatents = mask.reduce((a, b) => a + b, 0);
    const length = mask.length;
    const out = await sampleEuler({
      start,
      sigmas: samplingSchedule(8),
      model: async (x, t, step) => {
        expect(maxAbsDiff(x, await file.readFloat32(`step${step}_x`))).toBeLessThan(1e-5);
        const v = guidedVelocity({
          x,
          vCond: await file.readFloat32(`step${step}_v_cond`),
          vUncond: await file.readFloat32(`step${step}_v_uncond`),
          t,
          cfgScale: 3,
          apgScale: 1,
          channels: 256,
          length,
          validLatents,
        });
        const expected = await file.readFloat32(`step${step}_v`);
        expect(maxAbsDiff(v, expected)).toBeLessThan(1e-4);
        if (step === 0) {
          // The projection matters: plain CFG (apg 0) gives a clearly different velocity.
          const vanilla = guidedVelocity({
            x,
            vCond: await file.readFloat32('step0_v_cond'),
            vUncond: await file.readFloat32('step0_v_uncond'),
            t,
            cfgScale: 3,
            apgScale: 0,
            channels: 256,
            length,
            validLatents,
          });
          expect(maxAbsDiff(vanilla, expected)).toBeGreaterThan(1e-2);
        }
        return v;
      },
    });
    expect(maxAbsDiff(out, await file.readFloat32('out_latents'))).toBeLessThan(1e-4);
    await file.close();
  });
});
