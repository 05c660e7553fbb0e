import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertCheckpointToPack } from '../../src/compiler/index.js';
import { SafetensorsFile, onnx } from '../../src/model-files/index.js';
import {
  TEXT_SUBFOLDER,
  checkpointTensorShapes,
  realShapedModel,
  textEncoderTensorShapes,
  writeRealShapedCheckpoint,
  type RealShapedModel,
  type TensorShape,
} from '../../src/testpack/index.js';
import { tempDir } from '../compiler/compare.js';
import { haveReference, referenceDir } from '../engine/fixtures.js';

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const params = (tensors: readonly TensorShape[], prefix: string) =>
  tensors.filter((t) => t.name.startsWith(prefix)).reduce((sum, t) => sum + count(t.shape), 0);
const asMap = (tensors: readonly TensorShape[]) => Object.fromEntries(tensors.map((t) => [t.name, [...t.shape]]));

async function fileShapes(path: string, prefix = ''): Promise<Record<string, number[]>> {
  const file = await SafetensorsFile.open(path);
  try {
    return Object.fromEntries([...file.tensors.values()].filter((t) => t.name.startsWith(prefix)).map((t) => [t.name, [...t.shape]]));
  } finally {
    await file.close();
  }
}

describe('real-shaped checkpoints: the official tensor names and shapes', () => {
  it('medium: 522 DiT, 472 codec and 3 conditioner tensors with the released parameter counts', () => {
    const tensors = checkpointTensorShapes(realShapedModel('medium').modelConfig);
    expect(tensors.filter((t) => t.name.startsWith('model.model.')).length).toBe(522);
    expect(tensors.filter((t) => t.name.startsWith('pretransform.model.')).length).toBe(472);
    expect(tensors.filter((t) => t.name.startsWith('conditioner.')).length).toBe(3);
    // ../shared/reference/sa3-inference.md 1.2: DiT 1,453,170,192 and SAME-L 852,127,457 parameters.
    expect(params(tensors, 'model.model.')).toBe(1_453_170_192);
    expect(params(tensors, 'pretransform.model.')).toBe(852_127_457);
  });

  it('the T5Gemma b-b encoder: 134 tensors, 281.6 M parameters', () => {
    const tensors = textEncoderTensorShapes(realShapedModel('small').textConfig);
    expect(tensors.length).toBe(134);
    expect(Math.round(params(tensors, 'model.encoder.') / 1e5) / 10).toBe(281.6);
  });

  it.runIf(haveReference())('with the fixtures’ configs, exactly the tensors of the fixtures’ official-format checkpoints', async () => {
    for (const model of ['medium-tiny', 'small-tiny']) {
      const config = JSON.parse(await readFile(join(referenceDir, model, 'model_config.json'), 'utf8')) as unknown;
      expect(asMap(checkpointTensorShapes(config))).toEqual(await fileShapes(join(referenceDir, model, 'model.safetensors')));
    }
    const textConfig = JSON.parse(await readFile(join(referenceDir, 't5gemma-tiny', 'config.json'), 'utf8')) as unknown;
    expect(asMap(textEncoderTensorShapes(textConfig))).toEqual(await fileShapes(join(referenceDir, 't5gemma-tiny', 'model.safetensors'), 'model.encoder.'));
  });
});

describe('writing a real-shaped checkpoint folder', () => {
  const temps: { remove: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const t of temps) await t.remove();
  });

  /** small at its real widths with one block per stack and a 512-row embedding table: about 130 MB. */
  const shallow: RealShapedModel = realShapedModel('small', { depth: 1, vocabSize: 512 });

  it('writes the declared tensors, Linear weights within the default init bound, the same bytes for the same seed', async () => {
    const temp = await tempDir();
    temps.push(temp);
    const written = await writeRealShapedCheckpoint(join(temp.dir, 'a'), shallow, { seed: 3 });
    await writeRealShapedCheckpoint(join(temp.dir, 'b'), shallow, { seed: 3 });
    const root = join(temp.dir, 'a', 'model.safetensors');
    const text = join(temp.dir, 'a', TEXT_SUBFOLDER, 'model.safetensors');
    expect(await fileShapes(root)).toEqual(asMap(checkpointTensorShapes(shallow.modelConfig)));
    expect(await fileShapes(text)).toEqual(asMap(textEncoderTensorShapes(shallow.textConfig)));
    expect((await readFile(root)).byteLength + (await readFile(text)).byteLength).toBe(written.bytes);

    const file = await SafetensorsFile.open(root);
    try {
      expect(file.tensors.get('model.model.transformer.layers.0.ff.ff.2.weight')!.dtype).toBe('F32');
      const ff = await file.readFloat32('model.model.transformer.layers.0.ff.ff.2.weight'); // [1024, 4096]
      const bound = 1 / Math.sqrt(4096);
      const largest = ff.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
      expect(largest).toBeLessThanOrEqual(bound);
      expect(largest).toBeGreaterThan(0.99 * bound);
      const mean = ff.reduce((a, b) => a + b, 0) / ff.length;
      expect(Math.abs(mean)).toBeLessThan(bound / 100);
      expect([...(await file.readFloat32('model.model.transformer.rotary_pos_emb.inv_freq'))]).toEqual(
        Array.from({ length: 16 }, (_, i) => Math.fround(1 / 10000 ** ((2 * i) / 32))),
      );
    } finally {
      await file.close();
    }
    const textFile = await SafetensorsFile.open(text);
    expect(textFile.tensors.get('model.encoder.embed_tokens.weight')!.dtype).toBe('BF16');
    await textFile.close();
    const [a, b] = await Promise.all([readFile(root), readFile(join(temp.dir, 'b', 'model.safetensors'))]);
    expect(Buffer.compare(a, b)).toBe(0);
    const other = await writeRealShapedCheckpoint(join(temp.dir, 'c'), shallow, { seed: 4 });
    expect(other.bytes).toBe(written.bytes);
    expect(Buffer.compare(a, await readFile(join(temp.dir, 'c', 'model.safetensors')))).not.toBe(0);
  });

  it.runIf(haveReference())(
    'with the fixtures’ tiny configs, converts to an int8 pack whose every graph runs (the converter’s own check), the DiT and decoder with int8 MatMuls',
    async () => {
      const temp = await tempDir();
      temps.push(temp);
      const modelConfig = JSON.parse(await readFile(join(referenceDir, 'medium-tiny', 'model_config.json'), 'utf8')) as Record<string, unknown>;
      // The released encoder's width (768, the fixture DiT's cond_token_dim) at one layer.
      const { textConfig } = realShapedModel('medium', { depth: 1, vocabSize: 512 });
      await writeRealShapedCheckpoint(join(temp.dir, 'checkpoint'), { family: 'medium', modelConfig, textConfig });
      const manifest = await convertCheckpointToPack(join(temp.dir, 'checkpoint'), join(temp.dir, 'pack'), { id: 'tiny-int8', precision: 'int8' });
      expect(manifest.family).toBe('medium');
      expect(manifest.precision).toBe('int8');
      const matMulIntegers = async (file: string) =>
        onnx.ModelProto.decode(await readFile(join(temp.dir, 'pack', file))).graph!.node!.filter((n) => n.opType === 'MatMulInteger').length;
      // Per block, fused projections by block: DiT qkv 5, to_out 2, cross q 2, kv 3, to_out 2, ff 2 + 2 (outputs in two passes); decoder 9 (every Linear in one pass).
      expect(await matMulIntegers('dit.onnx')).toBe(2 * 18);
      expect(await matMulIntegers('decoder.onnx')).toBe(2 * 9);
      expect(await matMulIntegers('encoder.onnx')).toBe(0);
    },
  );
});
