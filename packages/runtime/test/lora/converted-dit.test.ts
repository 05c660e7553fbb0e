import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { convertDit } from '../../src/compiler/dit-graph.js';
import { LoraStack, readSvdBasesFile, type StackEntry } from '../../src/lora/index.js';
import { agreement, checkpointPath, fixtureTensor, modelConfig, tempDir } from '../compiler/compare.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { caseTensor, loraDir, loraFile, tinyModel, type TinyModel } from './lora-fixtures.js';

const INPUTS = ['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond', 'padding_mask'];
const DIT_CASES = { case1: 'dit_case1_L37_t0.99', case2: 'dit_case2_L48_t0.3_pad' } as const;

interface Case {
  readonly model: TinyModel;
  readonly name: string;
  readonly label?: string;
  readonly stack: () => Promise<StackEntry[]>;
}

const single = (model: TinyModel, type: string, withBases = false): Case => ({
  model,
  name: `case_${type}_s0.7`,
  ...(withBases ? { label: 'with the stored SVD bases' } : {}),
  stack: async () => [
    {
      file: await loraFile(model, `lora_${type}_r4.safetensors`),
      strength: 0.7,
      ...(withBases ? { svdBases: await readSvdBasesFile(join(loraDir, model, `svd_bases_${type}_r4.safetensors`)) } : {}),
    },
  ],
});

const cases: readonly Case[] = [
  single('medium-tiny', 'lora'),
  single('medium-tiny', 'dora-rows'),
  single('medium-tiny', 'bora'),
  single('medium-tiny', 'lora-xs'),
  single('medium-tiny', 'lora-xs', true),
  single('small-tiny', 'lora'),
  single('small-tiny', 'dora-cols'),
  {
    model: 'medium-tiny',
    name: 'case_stack_lora1.0_dora-rows-0.5',
    stack: async () => [
      { file: await loraFile('medium-tiny', 'lora_lora_r4.safetensors'), strength: 1 },
      { file: await loraFile('medium-tiny', 'lora_dora-rows_r4.safetensors'), strength: -0.5 },
    ],
  },
];

describe.runIf(haveReference())('the tiny DiT converted with merged LoRA weights against the official outputs', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, remove: cleanup } = await tempDir());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  for (const { model, name, label, stack } of cases) {
    it(`${model} ${name}${label ? ` ${label}` : ''}: velocities match out_case1/2_v_keymask`, async () => {
      const { base, close } = await tinyModel(model);
      const lora = LoraStack.build(await stack(), base);
      await close();
      const converted = await convertDit(checkpointPath(model), await modelConfig(model), dir, {
        fileName: `${model}-${name}${label ? '-bases' : ''}.onnx`,
        adjustWeight: (key, values, shape) => lora.mergeLayer(key, values, shape),
      });
      const session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
      try {
        for (const [caseKey, inputsFile] of Object.entries(DIT_CASES)) {
          const file = await openReference(`${model}/${inputsFile}.safetensors`);
          const feeds: Record<string, ort.Tensor> = {};
          for (const input of INPUTS) feeds[input] = await fixtureTensor(file, `in_${input}`);
          await file.close();
          const out = await session.run(feeds);
          const result = agreement(out.velocity!.data as Float32Array, await caseTensor(model, name, `out_${caseKey}_v_keymask`));
          expect(result.cosine).toBeGreaterThanOrEqual(0.99999);
          expect(result.maxAbs).toBeLessThan(1e-4);
        }
      } finally {
        await session.release();
      }
    });
  }

  it('medium-tiny at strength 0: the converted weights equal the base conversion byte for byte', async () => {
    const { base, close } = await tinyModel('medium-tiny');
    const lora = LoraStack.build([{ file: await loraFile('medium-tiny', 'lora_bora_r4.safetensors'), strength: 0 }], base);
    await close();
    const config = await modelConfig('medium-tiny');
    const plain = await convertDit(checkpointPath('medium-tiny'), config, dir, { fileName: 'plain.onnx' });
    const zero = await convertDit(checkpointPath('medium-tiny'), config, dir, {
      fileName: 'zero.onnx',
      adjustWeight: (key, values, shape) => lora.mergeLayer(key, values, shape),
    });
    const data = (file: string | undefined) => readFile(join(dir, file!));
    expect((await data(zero.saved.externalDataFile)).equals(await data(plain.saved.externalDataFile))).toBe(true);
  });
});
