import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/compiler/graph/index.js';
import { onnx } from '../../../src/model-files/index.js';
import { f32, values } from './run-graph.js';

const { FLOAT, FLOAT16 } = onnx.TensorProto.DataType;

describe('mixed precision graphs (float16 trunk, float32 islands)', () => {
  it('casts each value once per width, converts float constants and Cast targets, keeps the boundary float32', async () => {
    const g = new GraphBuilder({ floatPrecision: 'float16' });
    const x = g.input('x', 'float32', [2]);
    const a = g.add(x, 1); // trunk: x cast to float16, constant 1 as float16
    const b = g.mul(x, 3); // reuses the same cast of x
    const wide = g.island(() => g.add(g.cast(a, 'float32'), b)); // island: both cast up once
    g.output(g.add(wide, a), 'y', [2]);
    const model = onnx.ModelProto.decode(g.toBytes());
    const casts = model.graph!.node!.filter((n) => n.opType === 'Cast');
    const castsOf = (name: string) => casts.filter((n) => n.input![0] === name).map((n) => Number(n.attribute![0]!.i));
    expect(castsOf('x')).toEqual([FLOAT16]);
    expect(castsOf(a.name)).toEqual([FLOAT]); // g.cast(a, 'float32') inside the island, then reused
    const constants = model.graph!.node!.filter((n) => n.opType === 'Constant').map((n) => n.attribute![0]!.t!.dataType);
    expect(constants).toEqual([FLOAT16, FLOAT16]);
    expect(model.graph!.output!.map((o) => o.type!.tensorType!.elemType)).toEqual([FLOAT]);
    const session = await ort.InferenceSession.create(g.toBytes());
    try {
      const y = await session.run({ x: f32([0.5, 2], [2]) });
      expect(y.y!.type).toBe('float32');
      expect(values(y.y)).toEqual([0.5 + 1 + 1.5 + 1.5, 3 + 6 + 3]);
    } finally {
      await session.release();
    }
  });

  it('leaves a float32 graph untouched by islands', () => {
    const build = (island: boolean) => {
      const g = new GraphBuilder();
      const x = g.input('x', 'float32', [2]);
      const y = island ? g.island(() => g.softmax(g.add(x, 1))) : g.softmax(g.add(x, 1));
      g.output(y, 'y', [2]);
      return g.toBytes();
    };
    expect(Buffer.from(build(true)).equals(Buffer.from(build(false)))).toBe(true);
  });
});
