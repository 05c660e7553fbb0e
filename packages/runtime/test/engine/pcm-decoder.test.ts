import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sa3Engine } from '../../src/engine/sa3-engine.js';
import { readPcmFullScale } from '../../src/store/pcm-full-scale.js';
import { TESTPACK_PCM_FULL_SCALE } from '../../src/testpack/codec-graphs.js';
import { callContext, conditioning, testPackRoot } from './test-packs.js';

let root: string;
let engine: Sa3Engine;

beforeAll(async () => {
  ({ root, engine } = await testPackRoot({
    float: { objective: 'rf_denoiser', layout: 'baked' },
    pcm: { objective: 'rf_denoiser', layout: 'baked', decoderOutput: 'pcm' },
  }));
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

describe('a PCM-baked decoder (int32 pcm [1,N,2])', () => {
  it("gives the float decoder's audio to within one step of its full scale, chunked over 13 chunks", async () => {
    const take = (model: string) =>
      engine.generate({ model, prompt: conditioning('a bright bell', model), steps: 4, cfgScale: 1, seed: 5, durationSeconds: 37 }, callContext());
    const [float, pcm] = [await take('float'), await take('pcm')];
    expect(pcm.channels.map((c) => c.length)).toEqual(float.channels.map((c) => c.length));
    let largest = 0;
    let loudest = 0;
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < float.channels[c]!.length; i++) {
        largest = Math.max(largest, Math.abs(float.channels[c]![i]! - pcm.channels[c]![i]!));
        loudest = Math.max(loudest, Math.abs(pcm.channels[c]![i]!));
      }
    }
    expect(loudest).toBeGreaterThan(0.3);
    expect(largest).toBeLessThanOrEqual(1 / TESTPACK_PCM_FULL_SCALE + 1e-7);
  });

  it('its full scale is read from the graph; a float decoder has none', async () => {
    expect(await readPcmFullScale(join(root, 'pcm', 'decoder.onnx'), 'pcm')).toBe(TESTPACK_PCM_FULL_SCALE);
    expect(await readPcmFullScale(join(root, 'float', 'decoder.onnx'), 'audio')).toBeNull();
  });
});
