import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../../src/compiler/graph/index.js';
import { onnx, type OnnxProto } from '../../../src/model-files/index.js';
import { bool, f32, i64, runGraph, values } from './run-graph.js';

describe('GraphBuilder', () => {
  it('writes an IR 8 / opset 17 model that round-trips through onnx-proto', () => {
    const g = new GraphBuilder({ graphName: 'tiny' });
    const x = g.input('x', 'float32', [2, 'L']);
    g.output(g.neg(x), 'y', [2, 'L']);
    const model = onnx.ModelProto.decode(g.toBytes());
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    const graph = model.graph as OnnxProto.GraphProto;
    expect(graph.name).toBe('tiny');
    expect(graph.input[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual([2, 'L']);
    expect(graph.output.map((o) => o.name)).toEqual(['y']);
  });

  it('declares inputs and outputs that onnxruntime reports with their symbolic dims', async () => {
    const g = new GraphBuilder();
    const ids = g.input('ids', 'int64', [1, 'T']);
    const mask = g.input('mask', 'bool', [1, 'T']);
    g.output(g.cast(g.where(mask, ids, 0), 'float32'), 'out', [1, 'T']);
    const session = await ort.InferenceSession.create(g.toBytes());
    expect(session.inputMetadata).toEqual([
      { name: 'ids', isTensor: true, type: 'int64', shape: [1, 'T'] },
      { name: 'mask', isTensor: true, type: 'bool', shape: [1, 'T'] },
    ]);
    expect(session.outputMetadata).toEqual([{ name: 'out', isTensor: true, type: 'float32', shape: [1, 'T'] }]);
    const out = await session.run({ ids: i64([5, 6, 7], [1, 3]), mask: bool([true, false, true], [1, 3]) });
    expect(values(out.out)).toEqual([5, 0, 7]);
    await session.release();
  });

  it('computes elementwise arithmetic with broadcasting and scalar operands exactly', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float32', [2, 3]);
    const b = g.input('b', 'float32', [3]);
    g.output(g.add(a, b), 'add', [2, 3]);
    g.output(g.sub(a, b), 'sub', [2, 3]);
    g.output(g.mul(a, 0.5), 'mul', [2, 3]);
    g.output(g.div(8, b), 'div', [3]);
    g.output(g.neg(g.sqrt(g.pow(b, 2))), 'negsqrtpow', [3]);
    g.output(g.max([a, b, 2.5]), 'max', [2, 3]);
    const out = await runGraph(g, { a: f32([1, 2, 3, 4, 5, 6], [2, 3]), b: f32([1, 2, 4], [3]) });
    expect(values(out.add)).toEqual([2, 4, 7, 5, 7, 10]);
    expect(values(out.sub)).toEqual([0, 0, -1, 3, 3, 2]);
    expect(values(out.mul)).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
    expect(values(out.div)).toEqual([8, 4, 2]);
    expect(values(out.negsqrtpow)).toEqual([-1, -2, -4]);
    expect(values(out.max)).toEqual([2.5, 2.5, 4, 4, 5, 6]);
  });

  it('computes the transcendental ops at exact points', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1]);
    g.output(g.concat([g.sin(x), g.cos(x), g.exp(x), g.sigmoid(x), g.tanh(x), g.relu(g.sub(x, 1)), g.log(g.exp(x))], 0), 'y', [7]);
    const out = await runGraph(g, { x: f32([0], [1]) });
    expect(values(out.y)).toEqual([0, 1, 1, 0.5, 0, 0, 0]);
  });

  it('multiplies matrices with MatMul (batched) and Gemm (transB, bias, alpha)', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['B', 2, 3]);
    const w = g.initializer('w', Float32Array.from([1, 0, 2, 1, 3, -1]), [3, 2]);
    g.output(g.matMul(x, w), 'mm', ['B', 2, 2]);
    const x2 = g.input('x2', 'float32', [2, 3]);
    const wt = g.initializer('wt', Float32Array.from([1, 2, 3, 0, 1, -1]), [2, 3]);
    const bias = g.floats([10, 20]);
    g.output(g.gemm(x2, wt, bias, { transB: true, alpha: 2 }), 'gemm', [2, 2]);
    const out = await runGraph(g, {
      x: f32([1, 2, 3, 4, 5, 6, 0, 0, 1, 1, 0, 0], [2, 2, 3]),
      x2: f32([1, 1, 1, 2, 0, 1], [2, 3]),
    });
    // x[0] = [[1,2,3],[4,5,6]] @ [[1,0],[2,1],[3,-1]] = [[14,-1],[32,-1]]
    expect(values(out.mm)).toEqual([14, -1, 32, -1, 3, -1, 1, 0]);
    // 2 * x2 @ wt^T + b: rows [6,0] and [5,-1] doubled, plus [10,20]
    expect(values(out.gemm)).toEqual([22, 20, 20, 18]);
  });

  it('reshapes, transposes, slices, gathers, concatenates, squeezes and unsqueezes', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [6]);
    const m = g.reshape(x, [2, 3]); // [2,3]
    g.output(g.transpose(m, [1, 0]), 't', [3, 2]);
    g.output(g.slice(m, [0, 1], [2, 2 ** 62], [0, 1]), 'slice', [2, 2]);
    g.output(g.slice(x, [5], [-7], [0], [-2]), 'reverse_odd', [3]);
    g.output(g.gather(m, g.int64s([2, 0]), 1), 'gather', [2, 2]);
    g.output(g.concat([m, m], 0), 'concat', [4, 3]);
    const u = g.unsqueeze(m, [0, 3]); // [1,2,3,1]
    g.output(g.shape(u), 'ushape', [4]);
    g.output(g.squeeze(u, [0]), 'squeeze', [2, 3, 1]);
    g.output(g.shape(u, { start: 1, end: 3 }), 'mid_dims', [2]);
    const [p, q] = g.split(x, [2, 4], 0, ['p', 'q']);
    g.output(p!, 'p', [2]);
    g.output(q!, 'q', [4]);
    const out = await runGraph(g, { x: f32([0, 1, 2, 3, 4, 5], [6]) });
    expect(values(out.t)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(values(out.slice)).toEqual([1, 2, 4, 5]);
    expect(values(out.reverse_odd)).toEqual([5, 3, 1]);
    expect(values(out.gather)).toEqual([2, 0, 5, 3]);
    expect(values(out.concat)).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5]);
    expect(values(out.ushape)).toEqual([1, 2, 3, 1]);
    expect(out.squeeze?.dims).toEqual([2, 3, 1]);
    expect(values(out.mid_dims)).toEqual([2, 3]);
    expect(values(out.p)).toEqual([0, 1]);
    expect(values(out.q)).toEqual([2, 3, 4, 5]);
  });

  it('reduces with opset-17 semantics (ReduceSum axes as input, ReduceMax/Mean as attribute)', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', ['R', 'C']);
    g.output(g.reduceSum(x, [1], false), 'sum', ['R']);
    g.output(g.reduceMax(x, [0], true), 'max', [1, 'C']);
    g.output(g.reduceMean(x, [0, 1], false), 'mean', []);
    g.output(g.reduceMin(x, [1], false), 'min', ['R']);
    const out = await runGraph(g, { x: f32([1, 2, 3, 4, -8, 10], [2, 3]) });
    expect(values(out.sum)).toEqual([6, 6]);
    expect(values(out.max)).toEqual([4, 2, 10]);
    expect(out.max?.dims).toEqual([1, 3]);
    expect(values(out.mean)).toEqual([2]);
    expect(values(out.min)).toEqual([1, -8]);
  });

  it('builds index and mask tensors with Shape, Range, Expand, Tile, ConstantOfShape, Equal, Less and Where', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1, 'L']);
    const length = g.squeeze(g.shape(x, { start: 1 }), [0]); // []
    const positions = g.range(0, length, 1); // [L]
    g.output(positions, 'positions', ['L']);
    const valid = g.less(positions, 2); // [L]
    g.output(g.where(valid, x, -1), 'masked', [1, 'L']);
    g.output(g.cast(g.equal(positions, 1), 'int32'), 'is_one', ['L']);
    g.output(g.expand(g.floats([1, 2]), [3, 2]), 'expand', [3, 2]);
    g.output(g.tile(g.floats([1, 2]), [3]), 'tile', [6]);
    g.output(g.constantOfShape(g.shape(x), 7, 'int64'), 'sevens', [1, 'L']);
    g.output(g.clip(x, 0, 2.5), 'clip', [1, 'L']);
    g.output(g.clip(x, undefined, 1), 'clip_max', [1, 'L']);
    const out = await runGraph(g, { x: f32([-1, 1, 4, 2], [1, 4]) });
    expect(values(out.positions)).toEqual([0, 1, 2, 3]);
    expect(values(out.masked)).toEqual([-1, 1, -1, -1]);
    expect(values(out.is_one)).toEqual([0, 1, 0, 0]);
    expect(out.is_one?.type).toBe('int32');
    expect(values(out.expand)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(values(out.tile)).toEqual([1, 2, 1, 2, 1, 2]);
    expect(values(out.sevens)).toEqual([7, 7, 7, 7]);
    expect(values(out.clip)).toEqual([0, 1, 2.5, 2]);
    expect(values(out.clip_max)).toEqual([-1, 1, 1, 1]);
  });

  it('normalizes with Softmax and LayerNormalization, and pads', async () => {
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [2, 2]);
    g.output(g.softmax(x, -1), 'softmax', [2, 2]);
    g.output(g.layerNormalization(x, g.floats([1, 1]), g.floats([0, 10]), { epsilon: 0 }), 'ln', [2, 2]);
    g.output(g.pad(x, [0, 1, 0, 0], 'constant', 9), 'pad', [2, 3]);
    const out = await runGraph(g, { x: f32([3, 3, -1, 1], [2, 2]) });
    expect(values(out.softmax).slice(0, 2)).toEqual([0.5, 0.5]);
    expect(values(out.softmax)[2]! + values(out.softmax)[3]!).toBeCloseTo(1, 6);
    expect(values(out.ln).slice(2)).toEqual([-1, 11]);
    expect(values(out.pad)).toEqual([9, 3, 3, 9, -1, 1]);
  });

  it('keeps constants inline, int64 and bool initializers typed, and rejects bad tensors and names', async () => {
    const g = new GraphBuilder();
    const idx = g.initializer('idx', BigInt64Array.from([2n, 0n]), [2]);
    const flags = g.initializer('flags', Uint8Array.from([1, 0]), [2], 'bool');
    const table = g.constant(Int32Array.from([10, 20, 30]), [3]);
    g.output(g.gather(table, idx), 'picked', [2]);
    g.output(g.not(flags), 'flipped', [2]);
    const out = await runGraph(g, {});
    expect(values(out.picked)).toEqual([30, 10]);
    expect(out.picked?.type).toBe('int32');
    expect(values(out.flipped)).toEqual([0, 1]);
    expect(() => g.initializer('idx', Float32Array.from([1]), [1])).toThrow(/already has a value named "idx"/);
    expect(() => g.initializer('w', Float32Array.from([1, 2]), [3])).toThrow(/hold 3 elements but the data has 2/);
    expect(() => g.initializer('w', Float32Array.from([1]), [1], 'int64')).toThrow(/needs a BigInt64Array/);
    expect(() => g.add(idx, table)).toThrow(/differ in dtype/);
  });

  it('runs an If whose branches read outer values, each branch on its own condition', async () => {
    for (const floatPrecision of ['float32', 'float16'] as const) {
      const g = new GraphBuilder({ floatPrecision });
      const x = g.input('x', 'float32', [3]);
      const shift = g.initializer('shift', Float32Array.from([10, 20, 30]), [3]);
      const isZero = g.island(() => g.equal(g.reduceMax(g.abs(x), [0], false), 0)); // []
      // The float16 graph casts shift inside the then-branch: that Cast must not be reused outside it.
      const [picked] = await g.ifElse(
        isZero,
        () => [g.mul(shift, 0.5)],
        () => [g.add(x, shift)],
        [[3]],
      );
      g.output(g.add(picked!, shift), 'y', [3]);
      const session = await ort.InferenceSession.create(g.toBytes());
      try {
        expect(values((await session.run({ x: f32([0, 0, 0], [3]) })).y)).toEqual([15, 30, 45]);
        expect(values((await session.run({ x: f32([1, 0, -2], [3]) })).y)).toEqual([21, 40, 58]);
      } finally {
        await session.release();
      }
    }
    const g = new GraphBuilder();
    const flag = g.input('flag', 'bool', []);
    await expect(
      g.ifElse(
        flag,
        () => [g.scalar(1)],
        () => [g.scalar(1, 'int64')],
        [[]],
      ),
    ).rejects.toThrow('the branches of an If give float32 and int64');
  });
});
