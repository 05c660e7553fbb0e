import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { onnx } from '../../src/model-files/index.js';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertDit, type ConvertedDit } from '../../src/compiler/dit-graph.js';
import { haveReference, openReference } from '../engine/fixtures.js';
import { agreement, checkpointPath, fixtureTensor, modelConfig, tempDir } from './compare.js';
import { valueTypes } from './value-types.js';

const cases = {
  'medium-tiny': ['dit_case1_L37_t0.99', 'dit_case2_L48_t0.3_pad', 'dit_case3_B2_L29'],
  'small-tiny': ['dit_case1_L37_t0.99', 'dit_case2_L48_t0.3_pad'],
} as const;

const inputs = ['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond', 'padding_mask'];

describe.runIf(haveReference())('DiT converted to ONNX against the official outputs', () => {
  for (const [model, names] of Object.entries(cases)) {
    describe(model, () => {
      let converted: ConvertedDit;
      let convertedDir: string;
      let session: ort.InferenceSession;
      let cleanup: () => Promise<void>;

      beforeAll(async () => {
        const { dir, remove } = await tempDir();
        convertedDir = dir;
        cleanup = remove;
        converted = await convertDit(checkpointPath(model), await modelConfig(model), dir, { debugOutputs: true });
        session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
      });

      afterAll(async () => {
        await session?.release();
        await cleanup?.();
      });

      it('takes the explicit layout and keeps the weights in external data', () => {
        expect(converted.inputs.map((i) => i.name)).toEqual(inputs);
        expect(converted.saved.externalDataFile).toBe('dit.onnx.data');
        expect(converted.config.differential).toBe(model === 'medium-tiny');
      });

      for (const name of names) {
        it(`${name}: velocity matches out_v_keymask (and the residual stream where nothing is padded)`, async () => {
          const file = await openReference(`${model}/${name}.safetensors`);
          try {
            const feeds: Record<string, ort.Tensor> = {};
            for (const input of inputs) feeds[input] = await fixtureTensor(file, `in_${input}`);
            const out = await session.run(feeds);
            const velocity = agreement(out.velocity!.data as Float32Array, await file.readFloat32('out_v_keymask'));
            expect(velocity.cosine).toBeGreaterThanOrEqual(0.99999);
            expect(velocity.maxAbs).toBeLessThan(1e-4);
            // The dbg_* residual streams come from the V-zeroing path, equal to ours only without padding.
            const padded = (await file.readBytes('in_padding_mask')).includes(0);
            if (!padded) {
              expect(agreement(out.velocity!.data as Float32Array, await file.readFloat32('out_v')).maxAbs).toBeLessThan(1e-4);
              for (let block = 0; block < converted.config.depth; block++) {
                const hidden = `dbg_hidden_after_block${block}`;
                expect(agreement(out[hidden]!.data as Float32Array, await file.readFloat32(hidden)).maxAbs).toBeLessThan(1e-4);
              }
            }
          } finally {
            await file.close();
          }
        });
      }

      it('round-trips through an optimized-model file from ONNX Runtime (both If branches give the same velocity from it)', async () => {
        const { dir, remove } = await tempDir();
        const optimized = join(dir, 'optimized.onnx');
        const extra = {
          session: { optimized_model_external_initializers_file_name: 'optimized.onnx.data', optimized_model_external_initializers_min_size_in_bytes: '1024' },
        };
        let cached: ort.InferenceSession | undefined;
        try {
          await (await ort.InferenceSession.create(join(convertedDir, converted.saved.modelFile), { optimizedModelFilePath: optimized, extra })).release();
          cached = await ort.InferenceSession.create(optimized, { graphOptimizationLevel: 'disabled' });
          for (const name of names.slice(0, 2)) {
            const file = await openReference(`${model}/${name}.safetensors`);
            try {
              const feeds: Record<string, ort.Tensor> = {};
              for (const input of inputs) feeds[input] = await fixtureTensor(file, `in_${input}`);
              const [fromCache, plain] = [(await cached.run(feeds)).velocity!, (await session.run(feeds)).velocity!];
              expect(agreement(fromCache.data as Float32Array, plain.data as Float32Array).maxAbs).toBeLessThan(1e-6);
            } finally {
              await file.close();
            }
          }
        } finally {
          await cached?.release();
          await remove();
        }
      });
    });
  }
});

describe.runIf(haveReference())('DiT converted without a padding mask input', () => {
  it('small-tiny dit_case1 (nothing padded): every key counts, so it matches out_v', async () => {
    const { dir, remove } = await tempDir();
    const file = await openReference('small-tiny/dit_case1_L37_t0.99.safetensors');
    let session: ort.InferenceSession | undefined;
    try {
      const converted = await convertDit(checkpointPath('small-tiny'), await modelConfig('small-tiny'), dir, { keyMask: false });
      expect(converted.inputs.map((i) => i.name)).toEqual(inputs.slice(0, 5));
      session = await ort.InferenceSession.create(join(dir, converted.saved.modelFile));
      const feeds: Record<string, ort.Tensor> = {};
      for (const input of inputs.slice(0, 5)) feeds[input] = await fixtureTensor(file, `in_${input}`);
      const velocity = agreement((await session.run(feeds)).velocity!.data as Float32Array, await file.readFloat32('out_v'));
      expect(velocity.cosine).toBeGreaterThanOrEqual(0.99999);
      expect(velocity.maxAbs).toBeLessThan(1e-4);
    } finally {
      await session?.release();
      await file.close();
      await remove();
    }
  });
});

describe.runIf(haveReference())('DiT converted with --precision fp16', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let fp16: ConvertedDit;
  let session: ort.InferenceSession;

  beforeAll(async () => {
    ({ dir, remove: cleanup } = await tempDir());
    fp16 = await convertDit(checkpointPath('medium-tiny'), await modelConfig('medium-tiny'), dir, { precision: 'fp16', fileName: 'dit16.onnx' });
    session = await ort.InferenceSession.create(join(dir, fp16.saved.modelFile));
  });

  afterAll(async () => {
    await session?.release();
    await cleanup?.();
  });

  it('keeps float32 inputs and output, stores the trunk weights as float16 and the island weights as float32', async () => {
    expect(fp16.inputs.map((i) => [i.name, i.dtype])).toEqual(inputs.map((name) => [name, name === 'padding_mask' ? 'bool' : 'float32']));
    expect(fp16.outputs.map((o) => [o.name, o.dtype])).toEqual([['velocity', 'float32']]);
    const model = onnx.ModelProto.decode(await readFile(join(dir, fp16.saved.modelFile)));
    const dtypeOf = new Map(model.graph!.initializer!.map((t) => [t.name!, t.dataType!]));
    const keys = [...dtypeOf.keys()];
    const trunk = keys.filter((k) => /\.(to_qkv|to_q|to_kv|to_out|ff\.0\.proj|ff\.2|project_in|project_out)\.weight$/.test(k));
    const islands = keys.filter((k) => /(gamma|inv_freq|to_scale_shift_gate|memory_tokens|to_timestep_embed|global_cond_embedder)/.test(k));
    expect(trunk.length).toBeGreaterThan(10);
    expect(islands.length).toBeGreaterThan(10);
    for (const k of trunk) expect([k, dtypeOf.get(k)]).toEqual([k, onnx.TensorProto.DataType.FLOAT16]);
    for (const k of islands) expect([k, dtypeOf.get(k)]).toEqual([k, onnx.TensorProto.DataType.FLOAT]);
    const types = valueTypes(model.graph!);
    const { FLOAT, FLOAT16, DOUBLE } = onnx.TensorProto.DataType;
    const typesInto = (op: string) => model.graph!.node!.filter((n) => n.opType === op).map((n) => types.get(n.input![0]!));
    expect(typesInto('Softmax').length).toBe(2 * 2 * 2); // 2 blocks x (self, cross) x differential
    expect(typesInto('RotaryEmbedding').length).toBe(2 * 2 * 2); // 2 blocks x (q, k) x differential
    expect(typesInto('SimplifiedLayerNormalization').length).toBe(2 * (3 + 2 * 4)); // 2 blocks x (3 block norms + q, k norms of self and cross, x2 differential)
    for (const op of ['Softmax', 'ReduceMean', 'RotaryEmbedding', 'SimplifiedLayerNormalization'])
      for (const type of typesInto(op)) expect([op, type]).toEqual([op, FLOAT]);
    // RoPE tables in float32, time features in float64.
    for (const type of [...typesInto('Sin'), ...typesInto('Cos')]) expect([FLOAT, DOUBLE]).toContain(type);
    const trunkMatMuls = model.graph!.node!.filter((n) => n.opType === 'MatMul' && trunk.includes(n.input![1]!));
    expect(trunkMatMuls.length).toBe(trunk.length);
    for (const n of trunkMatMuls) expect(types.get(n.input![0]!)).toBe(FLOAT16);
  });

  for (const name of cases['medium-tiny']) {
    it(`${name}: velocity within cos 0.99999 and 2e-3 of out_v_keymask`, async () => {
      const file = await openReference(`medium-tiny/${name}.safetensors`);
      try {
        const feeds: Record<string, ort.Tensor> = {};
        for (const input of inputs) feeds[input] = await fixtureTensor(file, `in_${input}`);
        const velocity = agreement((await session.run(feeds)).velocity!.data as Float32Array, await file.readFloat32('out_v_keymask'));
        expect(velocity.cosine).toBeGreaterThanOrEqual(0.99999);
        expect(velocity.maxAbs).toBeLessThan(2e-3);
      } finally {
        await file.close();
      }
    });
  }
});
