/**
 * Merging into a weight as the converted graph stores it (transposed for x @ W) gives exactly the
 * transpose of merging into W: the plain-lora fast path and the path through W for normalising types.
 */
import { describe, expect, it } from 'vitest';
import { LoraStack, type StackEntry } from '../../src/lora/index.js';
import { transpose } from '../../src/lora/transpose.js';
import { haveReference } from '../engine/fixtures.js';
import { loraFile, tinyModel } from './lora-fixtures.js';

const KEYS = [
  'model.model.transformer.layers.0.cross_attn.to_kv.weight',
  'model.model.transformer.layers.1.ff.ff.0.proj.weight',
  'model.model.to_timestep_embed.0.weight',
];

describe.runIf(haveReference())('LoRA merged into a transposed stored weight', () => {
  const stacks: Record<string, () => Promise<StackEntry[]>> = {
    'lora 1.0 then lora -0.3 (transposed fast path)': async () => [
      { file: await loraFile('medium-tiny', 'lora_lora_r4.safetensors'), strength: 1 },
      { file: await loraFile('medium-tiny', 'lora_lora_r4.safetensors'), strength: -0.3 },
    ],
    'lora 1.0 then dora-rows -0.5 (through W)': async () => [
      { file: await loraFile('medium-tiny', 'lora_lora_r4.safetensors'), strength: 1 },
      { file: await loraFile('medium-tiny', 'lora_dora-rows_r4.safetensors'), strength: -0.5 },
    ],
  };
  for (const [name, entries] of Object.entries(stacks)) {
    it(`${name}: the same bits as transposing the merge of W`, async () => {
      const { base, close } = await tinyModel('medium-tiny');
      try {
        const stack = LoraStack.build(await entries(), base);
        for (const key of KEYS) {
          const shape = base.shape(key)!;
          const [out, inDim] = [shape[0]!, shape[1]!];
          const w = await base.read(key);
          const expected = transpose(stack.mergeLayer(key, w, shape), out, inDim);
          const merged = stack.mergeStored(key, transpose(w, out, inDim), shape, true);
          expect(Buffer.from(merged.buffer).equals(Buffer.from(expected.buffer)), key).toBe(true);
          expect(Buffer.from(merged.buffer).equals(Buffer.from(transpose(w, out, inDim).buffer)), key).toBe(false);
        }
      } finally {
        await close();
      }
    });
  }
});
