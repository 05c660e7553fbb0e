import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/compiler/graph/index.js';
import { EXTERNAL_DATA_ALIGNMENT, onnx, type OnnxProto } from '../../../src/model-files/index.js';
import { f32, values } from './run-graph.js';

const aValue = (i: number, j: number): number => (i === j ? 1 : 0);
const bValue = (i: number, j: number): number => ((i * 60 + j) % 7) - 3;

/** y = x @ A + x @ B + c, with A and B big enough to go external and c small enough to stay inline. */
function buildModel(): GraphBuilder {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', ['R', 50]);
  const a = g.initializer(
    'a',
    Float32Array.from({ length: 50 * 60 }, (_, n) => aValue(Math.floor(n / 60), n % 60)),
    [50, 60],
  );
  const b = g.initializer(
    'b',
    Float32Array.from({ length: 50 * 60 }, (_, n) => bValue(Math.floor(n / 60), n % 60)),
    [50, 60],
  );
  const c = g.initializer(
    'c',
    Float32Array.from({ length: 60 }, (_, j) => j),
    [60],
  );
  g.output(g.add(g.add(g.matMul(x, a), g.matMul(x, b)), c), 'y', ['R', 60]);
  return g;
}

/** Small integers throughout, so float32 is exact and the comparison can be too. */
function expected(x: readonly number[]): number[] {
  return Array.from({ length: 60 }, (_, j) => x.reduce((sum, xi, i) => sum + xi * (aValue(i, j) + bValue(i, j)), 0) + j);
}

/** Where an initializer's bytes ended up: inline (raw) or in the external file (external holds its location entries). */
interface InitializerPlacement {
  readonly location: OnnxProto.TensorProto.DataLocation | null | undefined;
  readonly raw: number;
  readonly external: Record<string, string>;
}

describe('GraphBuilder.save with external data', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'onnx-external-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const x = Array.from({ length: 50 }, (_, i) => (i % 5) - 2);

  it('writes big initializers to <file>.data at 4096-aligned offsets and onnxruntime loads them', async () => {
    const saved = await buildModel().save(dir, 'model.onnx', { externalDataThresholdBytes: 1024 });
    expect(saved).toEqual({ modelFile: 'model.onnx', externalDataFile: 'model.onnx.data', files: ['model.onnx', 'model.onnx.data'] });

    // Decoded messages are class instances; the typings only promise the optional interface.
    const graph = onnx.ModelProto.decode(await readFile(join(dir, 'model.onnx'))).graph as OnnxProto.GraphProto;
    const entries = Object.fromEntries(
      graph.initializer.map((t): [string, InitializerPlacement] => [
        t.name ?? '',
        {
          location: t.dataLocation,
          raw: (t.rawData ?? new Uint8Array()).byteLength,
          external: Object.fromEntries((t.externalData ?? []).map((e): [string, string] => [e.key ?? '', e.value ?? ''])),
        },
      ]),
    );
    expect(entries.a).toEqual({
      location: onnx.TensorProto.DataLocation.EXTERNAL,
      raw: 0,
      external: { location: 'model.onnx.data', offset: '0', length: '12000' },
    });
    expect(entries.b).toEqual({
      location: onnx.TensorProto.DataLocation.EXTERNAL,
      raw: 0,
      external: { location: 'model.onnx.data', offset: String(3 * EXTERNAL_DATA_ALIGNMENT), length: '12000' },
    });
    expect(entries.c).toEqual({ location: onnx.TensorProto.DataLocation.DEFAULT, raw: 240, external: {} });
    expect((await stat(join(dir, 'model.onnx.data'))).size).toBe(3 * 4096 + 12000);
    expect((await stat(join(dir, 'model.onnx'))).size).toBeLessThan(2000);

    const session = await ort.InferenceSession.create(join(dir, 'model.onnx'));
    const out = await session.run({ x: f32([...x, ...x.map((v) => 2 * v)], [2, 50]) });
    await session.release();
    const y = values(out.y);
    expect(y.slice(0, 60)).toEqual(expected(x));
    expect(y.slice(60)).toEqual(expected(x.map((v) => 2 * v)));
  });

  it('keeps everything inline without a threshold, giving the same results as toBytes()', async () => {
    const g = buildModel();
    const saved = await g.save(dir, 'inline.onnx');
    expect(saved).toEqual({ modelFile: 'inline.onnx', files: ['inline.onnx'] });
    expect(Buffer.from(g.toBytes()).equals(await readFile(join(dir, 'inline.onnx')))).toBe(true);
    const session = await ort.InferenceSession.create(join(dir, 'inline.onnx'));
    const out = await session.run({ x: f32(x, [1, 50]) });
    await session.release();
    expect(values(out.y)).toEqual(expected(x));
  });
});
