import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { LoraStack, readSvdBasesFile, type BaseWeights, type StackEntry } from '../../src/lora/index.js';
import { haveReference, maxAbsDiff } from '../engine/fixtures.js';
import { adapterCases, caseTensor, loraDir, loraFile, MERGED_KEY, tinyModel, type TinyModel } from './lora-fixtures.js';

async function merged(base: BaseWeights, entries: readonly StackEntry[], key = MERGED_KEY): Promise<Float32Array> {
  const stack = LoraStack.build(entries, base);
  return stack.mergeLayer(key, await base.read(key), base.shape(key)!);
}

describe.runIf(haveReference())('merged weights against the official parametrizations', () => {
  const models = new Map<TinyModel, Awaited<ReturnType<typeof tinyModel>>>();
  beforeAll(async () => {
    for (const model of ['medium-tiny', 'small-tiny'] as const) models.set(model, await tinyModel(model));
  });
  afterAll(async () => {
    for (const model of models.values()) await model.close();
  });

  for (const { model, type } of adapterCases) {
    it(`${model} ${type} at strength 0.7 matches out_merged to 1e-5`, async () => {
      const { base } = models.get(model)!;
      const file = await loraFile(model, `lora_${type}_r4.safetensors`);
      expect(file.adapterType).toBe(type);
      expect(file.layers.size).toBe(31);
      const expected = await caseTensor(model, `case_${type}_s0.7`, `out_merged.${MERGED_KEY}`);
      expect(maxAbsDiff(await merged(base, [{ file, strength: 0.7 }]), expected)).toBeLessThan(1e-5);
    });
  }

  it('medium-tiny lora-xs with the stored SVD bases matches out_merged to 1e-5', async () => {
    const { base } = models.get('medium-tiny')!;
    const file = await loraFile('medium-tiny', 'lora_lora-xs_r4.safetensors');
    const svdBases = await readSvdBasesFile(join(loraDir, 'medium-tiny', 'svd_bases_lora-xs_r4.safetensors'));
    const expected = await caseTensor('medium-tiny', 'case_lora-xs_s0.7', `out_merged.${MERGED_KEY}`);
    expect(maxAbsDiff(await merged(base, [{ file, strength: 0.7, svdBases }]), expected)).toBeLessThan(1e-5);
  });

  it('the stack lora 1.0 then dora-rows -0.5 chains as the official code does', async () => {
    const { base } = models.get('medium-tiny')!;
    const lora = await loraFile('medium-tiny', 'lora_lora_r4.safetensors');
    const dora = await loraFile('medium-tiny', 'lora_dora-rows_r4.safetensors');
    const expected = await caseTensor('medium-tiny', 'case_stack_lora1.0_dora-rows-0.5', `out_merged.${MERGED_KEY}`);
    const stacked = await merged(base, [
      { file: lora, strength: 1 },
      { file: dora, strength: -0.5 },
    ]);
    expect(maxAbsDiff(stacked, expected)).toBeLessThan(1e-5);
    // Not a sum: the other order gives another weight.
    const reversed = await merged(base, [
      { file: dora, strength: -0.5 },
      { file: lora, strength: 1 },
    ]);
    expect(maxAbsDiff(reversed, expected)).toBeGreaterThan(1e-3);
  });

  for (const { model, type } of adapterCases) {
    it(`${model} ${type} at strength 0 leaves every weight bit for bit`, async () => {
      const { base } = models.get(model)!;
      const file = await loraFile(model, `lora_${type}_r4.safetensors`);
      const stack = LoraStack.build([{ file, strength: 0 }], base);
      expect(stack.adaptedKeys).toEqual([]);
      for (const key of file.layers.keys()) {
        const w0 = await base.read(key);
        const w = stack.mergeLayer(key, w0, base.shape(key)!);
        expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(w0.buffer, w0.byteOffset, w0.byteLength))).toBe(true);
      }
    });
  }

  it('merges every adapted weight one at a time, each changed and of its base shape', async () => {
    const { base } = models.get('medium-tiny')!;
    const file = await loraFile('medium-tiny', 'lora_bora_r4.safetensors');
    const stack = LoraStack.build([{ file, strength: 0.7 }], base);
    let count = 0;
    for await (const layer of stack.mergedLayers(base)) {
      expect(layer.weight.length).toBe(layer.shape.reduce((a, b) => a * b, 1));
      expect(maxAbsDiff(layer.weight, await base.read(layer.key))).toBeGreaterThan(0);
      count++;
    }
    expect(count).toBe(31);
  });
});
