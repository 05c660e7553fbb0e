/**
 * int8 against fp32 at real size (opt-in: SA3_REAL_SHAPED=1, with SA3_REAL_SHAPED_FAMILY=small
 * or medium; writes the family's real-shaped checkpoint, 2.8 or 9.8 GB, to the temp folder and
 * removes it after). The DiT at L = 388 (30 s) and the text encoder on one prompt of 40 tokens.
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertDit, convertT5GemmaEncoder, readDitConfig, type DitConfig } from '../../src/compiler/index.js';
import { TEXT_SUBFOLDER, writeRealShapedCheckpoint, type RealShapedFamily } from '../../src/testpack/index.js';
import { agreement, tempDir } from './compare.js';

const enabled = process.env.SA3_REAL_SHAPED === '1';
const family = (process.env.SA3_REAL_SHAPED_FAMILY ?? 'small') as RealShapedFamily;
const LATENTS = 388;
const TOKENS = 256;
const PROMPT_TOKENS = 40;

if (!enabled) console.warn('skipping the real-size int8 checks: set SA3_REAL_SHAPED=1 (and SA3_REAL_SHAPED_FAMILY=small or medium) to run them');

function ditFeeds(cfg: DitConfig): Record<string, ort.Tensor> {
  const wave = (count: number, rate: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(i * rate));
  return {
    x: new ort.Tensor('float32', wave(cfg.ioChannels * LATENTS, 0.37), [1, cfg.ioChannels, LATENTS]),
    t: new ort.Tensor('float32', Float32Array.of(0.7), [1]),
    cross_attn_cond: new ort.Tensor('float32', wave(cfg.crossTokens * cfg.condTokenDim, 0.11), [1, cfg.crossTokens, cfg.condTokenDim]),
    global_embed: new ort.Tensor('float32', wave(cfg.globalCondDim, 0.5), [1, cfg.globalCondDim]),
    local_add_cond: new ort.Tensor('float32', new Float32Array(cfg.localAddCondDim * LATENTS), [1, cfg.localAddCondDim, LATENTS]),
    padding_mask: new ort.Tensor('bool', new Uint8Array(LATENTS).fill(1), [1, LATENTS]),
  };
}

describe.runIf(enabled)(`${family} at real size: int8 against fp32`, () => {
  let dir: string;
  let remove: () => Promise<void>;
  let cfg: DitConfig;

  beforeAll(async () => {
    ({ dir, remove } = await tempDir());
    const { model } = await writeRealShapedCheckpoint(join(dir, 'checkpoint'), family);
    cfg = readDitConfig(model.modelConfig);
    for (const precision of ['fp32', 'int8'] as const) {
      await convertDit(join(dir, 'checkpoint', 'model.safetensors'), model.modelConfig, dir, { fileName: `dit-${precision}.onnx`, precision });
      await convertT5GemmaEncoder(join(dir, 'checkpoint', TEXT_SUBFOLDER), dir, { fileName: `text-${precision}.onnx`, precision });
    }
  }, 3_600_000);

  afterAll(async () => {
    await remove?.();
  });

  it("one DiT step's velocity at L = 388: cosine >= 0.999", async () => {
    const feeds = ditFeeds(cfg);
    const velocity = async (precision: string) => {
      const session = await ort.InferenceSession.create(join(dir, `dit-${precision}.onnx`));
      try {
        return (await session.run(feeds)).velocity!.data as Float32Array;
      } finally {
        await session.release();
      }
    };
    const { cosine } = agreement(await velocity('int8'), await velocity('fp32'));
    console.log(`${family} int8 DiT at L=${LATENTS}: velocity cosine ${cosine.toFixed(6)} against fp32`);
    expect(cosine).toBeGreaterThanOrEqual(0.999);
  }, 600_000);

  it("the text encoder's hidden states over a 40-token prompt: cosine >= 0.999", async () => {
    const ids = new BigInt64Array(TOKENS);
    const mask = new BigInt64Array(TOKENS);
    for (let i = 0; i < PROMPT_TOKENS; i++) [ids[i], mask[i]] = [BigInt(3 + ((i * 7919) % 4000)), 1n];
    const feeds = { input_ids: new ort.Tensor('int64', ids, [1, TOKENS]), attention_mask: new ort.Tensor('int64', mask, [1, TOKENS]) };
    const hidden = async (precision: string) => {
      const session = await ort.InferenceSession.create(join(dir, `text-${precision}.onnx`));
      try {
        const out = (await session.run(feeds)).hidden_states!.data as Float32Array;
        return out.subarray(0, PROMPT_TOKENS * (out.length / TOKENS));
      } finally {
        await session.release();
      }
    };
    const { cosine } = agreement(await hidden('int8'), await hidden('fp32'));
    console.log(`${family} int8 text encoder: hidden-state cosine ${cosine.toFixed(6)} against fp32`);
    expect(cosine).toBeGreaterThanOrEqual(0.999);
  }, 600_000);
});
