import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertDit, convertSameCodec, convertT5GemmaEncoder, sameDecoderInt8Linears, type ConvertedGraph } from '../../src/compiler/index.js';
import { quantizeColumns } from '../../src/compiler/quantize-int8.js';
import { onnx, type OnnxProto } from '../../src/model-files/index.js';
import { haveReference, openReference, referenceDir } from '../engine/fixtures.js';
import { agreement, checkpointPath, fixtureTensor, modelConfig, tempDir } from './compare.js';
import { valueTypes } from './value-types.js';

const { FLOAT, DOUBLE, INT8, UINT8, INT32, INT64, BOOL } = onnx.TensorProto.DataType;

const DIT_CASES = {
  'medium-tiny': ['dit_case1_L37_t0.99', 'dit_case2_L48_t0.3_pad', 'dit_case3_B2_L29'],
  'small-tiny': ['dit_case1_L37_t0.99', 'dit_case2_L48_t0.3_pad'],
} as const;
const DIT_INPUTS = ['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond', 'padding_mask'];
/** The Linears of each DiT block that int8 quantizes. */
const DIT_QUANTIZED = ['self_attn.to_qkv', 'self_attn.to_out', 'cross_attn.to_q', 'cross_attn.to_kv', 'cross_attn.to_out', 'ff.ff.0.proj', 'ff.ff.2'];
const T5_QUANTIZED = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'];
const QUANTIZED_TYPES = new Set<number>([INT8, UINT8, INT32]);
/** Ops that hold softmax, norms or RoPE: standard ones and the ONNX Runtime kernels the DiT uses for them. */
const PRECISION_BOUND_OPS = ['Softmax', 'ReduceMean', 'Sin', 'Cos', 'SimplifiedLayerNormalization', 'RotaryEmbedding'];

async function loadModel(dir: string, graph: ConvertedGraph): Promise<OnnxProto.IModelProto> {
  return onnx.ModelProto.decode(await readFile(join(dir, graph.saved.modelFile)));
}

/**
 * What every int8 graph must show: the listed Linears, and only they, are MatMulInteger on a
 * DynamicQuantizeLinear output and an int8 weight with float32 per-column scales, those matching
 * `twoPass` twice (the second pass over what the first lost); quantized values flow into nothing
 * but MatMulInteger, the Cast back to float and the DequantizeLinear of the two-pass; every other value is
 * float32 (or float64, which the time features use), so norms (ReduceMean), softmax, RoPE
 * (Sin, Cos and every op that reads their tables), the conditioning MLPs and the residual
 * stream all run in float32.
 */
function expectInt8Structure(
  model: OnnxProto.IModelProto,
  quantizedKeys: readonly string[],
  /** The keys quantized two-pass; none without it. */
  twoPass: RegExp | undefined,
  float32Weights: RegExp,
  splitParts: (key: string) => number = () => 1,
): void {
  const graph = model.graph!;
  const dtypeOf = new Map(graph.initializer!.map((t) => [t.name!, t.dataType!]));
  const dims = new Map(graph.initializer!.map((t) => [t.name!, t.dims!.map(Number)]));
  /** A Linear's int8 weight names: one, or one per column block of a split Linear. */
  const int8Names = (key: string) => {
    const parts = splitParts(key);
    return parts === 1 ? [''] : Array.from({ length: parts }, (_, i) => `_part${i}`);
  };
  for (const key of quantizedKeys) {
    for (const suffix of int8Names(key)) {
      expect([key, dtypeOf.get(`${key}.weight_int8${suffix}`)]).toEqual([key, INT8]);
      expect([key, dtypeOf.get(`${key}.weight_scale${suffix}`)]).toEqual([key, FLOAT]);
      expect(dims.get(`${key}.weight_scale${suffix}`)).toEqual([dims.get(`${key}.weight_int8${suffix}`)![1]]);
    }
    expect(dtypeOf.has(`${key}.weight`)).toBe(false);
  }
  const quantizedWeights = new Set(quantizedKeys.flatMap((k) => int8Names(k).map((suffix) => `${k}.weight_int8${suffix}`)));
  const others = [...dtypeOf].filter(([name]) => !quantizedWeights.has(name));
  for (const [name, dtype] of others) expect([name, dtype]).toEqual([name, FLOAT]);
  expect(others.filter(([name]) => float32Weights.test(name)).length).toBeGreaterThan(0);

  const types = valueTypes(graph);
  const producer = new Map(graph.node!.flatMap((n) => n.output!.map((o) => [o, n.opType!] as const)));
  const matMulIntegers = graph.node!.filter((n) => n.opType === 'MatMulInteger');
  const passes = (key: string) => matMulIntegers.filter((n) => int8Names(key).some((suffix) => n.input![1] === `${key}.weight_int8${suffix}`)).length;
  if (twoPass) expect(quantizedKeys.filter((k) => twoPass.test(k)).length).toBeGreaterThan(0);
  for (const key of quantizedKeys) expect([key, passes(key)]).toEqual([key, twoPass?.test(key) ? 2 : splitParts(key)]);
  expect(matMulIntegers.length).toBe(quantizedKeys.reduce((sum, key) => sum + passes(key), 0));
  // A split Linear quantizes its input once for all of its blocks.
  for (const key of quantizedKeys.filter((k) => splitParts(k) > 1)) {
    const inputs = new Set(matMulIntegers.filter((n) => n.input![1]!.startsWith(`${key}.weight_int8_part`)).map((n) => n.input![0]));
    expect([key, inputs.size]).toEqual([key, 1]);
  }
  for (const n of matMulIntegers) expect(producer.get(n.input![0]!)).toBe('DynamicQuantizeLinear');

  const tables = new Set(graph.node!.filter((n) => n.opType === 'Sin' || n.opType === 'Cos').flatMap((n) => n.output!));
  expect(tables.size).toBeGreaterThan(0);
  let checked = 0;
  for (const node of graph.node!) {
    const inputTypes = node.input!.filter((name) => name !== '').map((name) => [name, types.get(name)] as const);
    const quantizedInputs = inputTypes.filter(([, type]) => type !== undefined && QUANTIZED_TYPES.has(type));
    if (quantizedInputs.length > 0) expect([node.opType, ['MatMulInteger', 'Cast', 'DequantizeLinear'].includes(node.opType!)]).toEqual([node.opType, true]);
    const precisionBound = PRECISION_BOUND_OPS.includes(node.opType!) || node.input!.some((name) => tables.has(name));
    if (!precisionBound) continue;
    checked++;
    // Shape operands (int64) and masks (bool) aside, every input is float32 or float64.
    for (const [name, type] of inputTypes.filter(([, t]) => t !== INT64 && t !== BOOL)) {
      expect([node.opType, name, [FLOAT, DOUBLE].includes(type!)]).toEqual([node.opType, name, true]);
    }
  }
  expect(checked).toBeGreaterThan(0);
  expect(graph.node!.filter((n) => n.opType === 'Softmax').length).toBeGreaterThan(0);
  for (const n of graph.node!.filter((n) => PRECISION_BOUND_OPS.includes(n.opType!) && n.opType !== 'Sin' && n.opType !== 'Cos'))
    expect(types.get(n.input![0]!)).toBe(FLOAT);
  // Nothing in float16 anywhere.
  for (const type of types.values()) expect(type).not.toBe(onnx.TensorProto.DataType.FLOAT16);
}

describe('per-channel symmetric int8 weights', () => {
  it('scale each column by its own largest magnitude, map it to ±127, and keep zero columns finite', () => {
    // [3 rows, 3 cols]: column 0 large, column 1 small, column 2 zero.
    const w = Float32Array.of(100, 0.004, 0, -40, -0.01, 0, 20, 0.002, 0);
    const { values, scales } = quantizeColumns(w, 3, 3);
    expect(Array.from(scales)).toEqual([Math.fround(100 / 127), Math.fround(0.01 / 127), 1]);
    expect(Array.from(values)).toEqual([127, 51, 0, -51, -127, 0, 25, 25, 0]);
    for (let i = 0; i < w.length; i++) expect(Math.abs(values[i]! * scales[i % 3]! - w[i]!)).toBeLessThanOrEqual(scales[i % 3]! / 2 + 1e-7);
  });
});

describe.runIf(haveReference())('DiT converted with --precision int8', () => {
  for (const [model, names] of Object.entries(DIT_CASES)) {
    describe(model, () => {
      let dir: string;
      let cleanup: () => Promise<void>;
      let fp32: ort.InferenceSession;
      let int8: ort.InferenceSession;
      let int8Model: OnnxProto.IModelProto;
      let depth: number;
      let differential: boolean;

      beforeAll(async () => {
        ({ dir, remove: cleanup } = await tempDir());
        const config = await modelConfig(model);
        const wide = await convertDit(checkpointPath(model), config, dir, { fileName: 'dit32.onnx' });
        const narrow = await convertDit(checkpointPath(model), config, dir, { fileName: 'dit8.onnx', precision: 'int8' });
        depth = narrow.config.depth;
        differential = narrow.config.differential;
        expect(narrow.inputs.map((i) => i.name)).toEqual(DIT_INPUTS);
        expect(narrow.outputs.map((o) => [o.name, o.dtype])).toEqual([['velocity', 'float32']]);
        fp32 = await ort.InferenceSession.create(join(dir, wide.saved.modelFile));
        int8 = await ort.InferenceSession.create(join(dir, narrow.saved.modelFile));
        int8Model = await loadModel(dir, narrow);
      });

      afterAll(async () => {
        await fp32?.release();
        await int8?.release();
        await cleanup?.();
      });

      it('quantizes the blocks’ attention projections and feed-forward only (the output projections two-pass, the fused ones one MatMul per block); norms, softmax, RoPE, time features, conditioning MLPs and the residual stream read float32', () => {
        const keys = Array.from({ length: depth }, (_, i) => DIT_QUANTIZED.map((k) => `model.model.transformer.layers.${i}.${k}`)).flat();
        expectInt8Structure(
          int8Model,
          keys,
          /\.(ff\.ff\.2|to_out)$/,
          /(to_local_embed|to_timestep_embed|to_cond_embed|to_global_embed|global_cond_embedder|project_in|project_out)\.[0-9.]*weight$/,
          // The fused projections run one int8 MatMul per block: q, k, v (q_diff, k_diff); q (q_diff); k (k_diff), v; value, gate.
          (key) => {
            const block = Object.entries(differential ? { to_qkv: 5, to_q: 2, to_kv: 3 } : { to_qkv: 3, to_q: 1, to_kv: 2 }).find(([name]) =>
              key.endsWith(`.${name}`),
            );
            return block ? block[1] : key.endsWith('.ff.ff.0.proj') ? 2 : 1;
          },
        );
      });

      for (const name of names) {
        it(`${name}: int8 velocity against the float32 graph's, cosine >= 0.999`, async () => {
          const file = await openReference(`${model}/${name}.safetensors`);
          try {
            const feeds: Record<string, ort.Tensor> = {};
            for (const input of DIT_INPUTS) feeds[input] = await fixtureTensor(file, `in_${input}`);
            const wide = (await fp32.run(feeds)).velocity!.data as Float32Array;
            const narrow = (await int8.run(feeds)).velocity!.data as Float32Array;
            const { cosine, maxAbs } = agreement(narrow, wide);
            console.log(`int8 DiT ${model} ${name}: velocity cosine ${cosine.toFixed(6)} against float32, max abs ${maxAbs.toExponential(2)}`);
            expect(narrow.every(Number.isFinite)).toBe(true);
            expect(cosine).toBeGreaterThanOrEqual(0.999);
          } finally {
            await file.close();
          }
        });
      }
    });
  }
});

describe.runIf(haveReference())('T5Gemma encoder converted with --precision int8', () => {
  // One prompt per call, as the engine encodes them: a call's activations share one scale, so a
  // batch would couple its prompts (the fixture's empty prompt drags the 200-token one to 0.995).
  it('quantizes q, k, v, o and the MLP of each layer only (o and down two-pass), and each prompt’s valid rows agree with the float32 graph’s (cosine >= 0.999)', async () => {
    const { dir, remove } = await tempDir();
    const fixture = await openReference('t5gemma-tiny/case_encoder.safetensors');
    const t5Dir = join(referenceDir, 't5gemma-tiny');
    const sessions: ort.InferenceSession[] = [];
    try {
      const wide = await convertT5GemmaEncoder(t5Dir, dir, { fileName: 'text32.onnx' });
      const narrow = await convertT5GemmaEncoder(t5Dir, dir, { fileName: 'text8.onnx', precision: 'int8' });
      const prefix = (await loadModel(dir, narrow)).graph!.initializer!.some((t) => t.name!.startsWith('model.encoder.')) ? 'model.encoder.' : 'encoder.';
      const keys = Array.from({ length: narrow.config.layers }, (_, i) => T5_QUANTIZED.map((k) => `${prefix}layers.${i}.${k}`)).flat();
      expectInt8Structure(await loadModel(dir, narrow), keys, /\.(mlp\.down_proj|self_attn\.o_proj)$/, /embed_tokens\.weight$/);

      const ids = new BigInt64Array((await fixture.readBytes('in_input_ids')).slice().buffer);
      const mask = BigInt64Array.from(await fixture.readBytes('in_attention_mask'), (v) => BigInt(v));
      const tokens = fixture.info('in_input_ids').shape[1]!;
      for (const graph of [wide, narrow]) sessions.push(await ort.InferenceSession.create(join(dir, graph.saved.modelFile)));
      const lengths = JSON.parse(fixture.metadata.prompt_lengths!) as number[];
      for (const [b, length] of lengths.entries()) {
        if (length === 0) continue; // the empty prompt's rows are implementation-defined
        const feeds = {
          input_ids: new ort.Tensor('int64', ids.slice(b * tokens, (b + 1) * tokens), [1, tokens]),
          attention_mask: new ort.Tensor('int64', mask.slice(b * tokens, (b + 1) * tokens), [1, tokens]),
        };
        const [wideRows, narrowRows] = await Promise.all(
          sessions.map(async (s) => ((await s.run(feeds)).hidden_states!.data as Float32Array).subarray(0, length * narrow.hiddenSize)),
        );
        const { cosine } = agreement(narrowRows!, wideRows!);
        console.log(`int8 T5Gemma prompt ${b} (${length} tokens): cosine ${cosine.toFixed(6)} against float32`);
        expect(cosine).toBeGreaterThanOrEqual(0.999);
      }
    } finally {
      for (const session of sessions) await session.release();
      await fixture.close();
      await remove();
    }
  });
});

describe.runIf(haveReference())('SAME decoder of an int8 pack', () => {
  const SAME_QUANTIZED = ['self_attn.to_qkv', 'self_attn.to_out', 'ff.ff.0.proj', 'ff.ff.2'];
  for (const [model, name] of [
    ['small-tiny', 'ae_decode_L6'],
    ['medium-tiny', 'ae_decode_L6'],
  ] as const) {
    it(`${model}: int8 transformer Linears only (differential attention float32), decoded audio within SNR >= 30 dB of the float32 graph's`, async () => {
      const { dir, remove } = await tempDir();
      const fixture = await openReference(`${model}/${name}.safetensors`);
      const sessions: ort.InferenceSession[] = [];
      try {
        const config = await modelConfig(model);
        const wide = await convertSameCodec('decoder', checkpointPath(model), config, dir, { fileName: 'decoder32.onnx' });
        const narrow = await convertSameCodec('decoder', checkpointPath(model), config, dir, { fileName: 'decoder8.onnx', int8: sameDecoderInt8Linears });
        const keys = Array.from({ length: narrow.config.depth }, (_, i) =>
          SAME_QUANTIZED.map((k) => `pretransform.model.decoder.layers.3.transformers.${i}.${k}`),
        ).flat();
        const parts = (key: string) => (key.endsWith('.to_qkv') ? (narrow.config.differential ? 5 : 3) : key.endsWith('.ff.ff.0.proj') ? 2 : 1);
        expectInt8Structure(await loadModel(dir, narrow), keys, undefined, /(decoder\.layers\.1|mapping)\.weight$/, parts);

        for (const graph of [wide, narrow]) sessions.push(await ort.InferenceSession.create(join(dir, graph.saved.modelFile)));
        const feeds = { latents: await fixtureTensor(fixture, 'in_latents') };
        const [reference, quantized] = await Promise.all(sessions.map(async (s) => (await s.run(feeds)).audio!.data as Float32Array));
        let signal = 0;
        let noise = 0;
        for (let i = 0; i < reference!.length; i++) [signal, noise] = [signal + reference![i]! ** 2, noise + (reference![i]! - quantized![i]!) ** 2];
        const snr = 10 * Math.log10(signal / noise);
        console.log(`int8 SAME decoder ${model} ${name}: SNR ${snr.toFixed(1)} dB against float32`);
        expect(snr).toBeGreaterThanOrEqual(30);
      } finally {
        for (const session of sessions) await session.release();
        await fixture.close();
        await remove();
      }
    });
  }
});
