import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOnnxSummary } from '../../src/store/onnx-summary.js';
import { writeTestPack } from '../../src/testpack/index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("reading an ONNX graph's inputs and outputs without loading it", () => {
  it('gives names, dtypes, shapes and the external data files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa3-onnx-'));
    dirs.push(dir);
    await writeTestPack(dir, { objective: 'rf_denoiser', layout: 'explicit', ditExternalData: true });
    const dit = await readOnnxSummary(join(dir, 'dit.onnx'));
    expect(dit?.inputs.map((t) => t.name)).toEqual(['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond', 'padding_mask']);
    expect(dit?.inputs.find((t) => t.name === 'padding_mask')).toEqual({ name: 'padding_mask', dtype: 'bool', shape: [1, 'L'] });
    expect(dit?.outputs).toEqual([{ name: 'velocity', dtype: 'float32', shape: [1, 256, 'L'] }]);
    expect(dit?.externalFiles).toEqual(['dit.onnx.data']);
    const encoder = await readOnnxSummary(join(dir, 'text_encoder.onnx'));
    expect(encoder?.inputs.map((t) => [t.name, t.dtype])).toEqual([
      ['input_ids', 'int64'],
      ['attention_mask', 'int64'],
    ]);
    expect(encoder?.externalFiles).toEqual([]);
  });

  it('is null for a file that is not ONNX', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sa3-onnx-'));
    dirs.push(dir);
    await writeFile(join(dir, 'x.onnx'), '{"not": "onnx"}');
    expect(await readOnnxSummary(join(dir, 'x.onnx'))).toBeNull();
    await writeFile(join(dir, 'y.onnx'), Buffer.from([0x0a, 0xff, 0xff, 0xff]));
    expect(await readOnnxSummary(join(dir, 'y.onnx'))).toBeNull();
  });
});
