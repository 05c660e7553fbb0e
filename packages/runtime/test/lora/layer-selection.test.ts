import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safetensorsBytes } from '../../src/model-files/index.js';
import { LoraStack, readLoraFile } from '../../src/lora/index.js';
import { expandPattern, matchesAny, matchesLayerFilter } from '../../src/lora/name-patterns.js';
import { haveReference } from '../engine/fixtures.js';
import { loraFile, SECONDS_KEY, tinyModel } from './lora-fixtures.js';

describe('layer name patterns', () => {
  it('expand bracket ranges, up and down, and several at once', () => {
    expect(expandPattern('layers.[0-2].ff')).toEqual(['layers.0.ff', 'layers.1.ff', 'layers.2.ff']);
    expect(expandPattern('[2-1].x[0-1]')).toEqual(['2.x0', '2.x1', '1.x0', '1.x1']);
    expect(expandPattern('to_kv')).toEqual(['to_kv']);
  });

  it('match by containment; a run-time filter is comma-separated and lowercased', () => {
    expect(matchesAny('model.transformer.layers.1.self_attn.to_qkv', ['layers.[1-3].self'])).toBe(true);
    expect(matchesAny('model.transformer.layers.0.self_attn.to_qkv', ['layers.[1-3].self'])).toBe(false);
    expect(matchesLayerFilter('transformer.layers.0.cross_attn.to_kv', ' Cross_Attn , ff')).toBe(true);
    expect(matchesLayerFilter('transformer.layers.0.self_attn.to_qkv', 'cross_attn, ,ff')).toBe(false);
    expect(matchesLayerFilter('transformer.layers.0.self_attn.to_qkv', '')).toBe(false);
  });
});

describe.runIf(haveReference())('which layers an adapter changes', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sa3-lora-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a run-time layer filter keeps the matching DiT layers and never touches the conditioner', async () => {
    const { base, close } = await tinyModel('medium-tiny');
    try {
      const file = await loraFile('medium-tiny', 'lora_lora_r4.safetensors');
      const stack = LoraStack.build([{ file, strength: 1, layerFilter: 'layers.[0-0].,seconds' }], base);
      expect(stack.adaptedKeys).toContain(SECONDS_KEY);
      expect(stack.adaptedKeys.some((key) => key.includes('layers.0.'))).toBe(false);
      expect(stack.adaptedKeys.some((key) => key.includes('layers.1.'))).toBe(true);
      expect(stack.adaptedKeys).toHaveLength(31 - 9);
    } finally {
      await close();
    }
  });

  it("the file's include/exclude drop the layers training left out", async () => {
    const source = await loraFile('medium-tiny', 'lora_lora_r4.safetensors');
    const tensors = Object.fromEntries(
      [...source.layers.values()].flatMap((layer) =>
        Object.entries(layer.tensors).map(([name, t]) => [`${layer.module}.parametrizations.weight.0.${name}`, { shape: t.shape, data: t.data }]),
      ),
    );
    const config = { rank: 4, alpha: 8, adapter_type: 'lora', include: ['transformer.layers'], exclude: ['ff.ff.[0-2]'] };
    const path = join(dir, 'filtered.safetensors');
    await writeFile(path, safetensorsBytes(tensors, { lora_config: JSON.stringify(config) }));
    const file = await readLoraFile(path);
    expect([...file.layers.values()].map((l) => l.module).every((m) => m.includes('transformer.layers') && !m.includes('.ff.ff.'))).toBe(true);
    expect(file.layers.size).toBe(2 * 7);
  });
});
