import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/compiler/graph/index.js';
import { removeRandomNoise } from '../../src/store/remove-random-noise.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sa3-noise-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** y = x + 0.01·RandomNormalLike(x) + RandomUniform([4]) (float32), z = RandomNormalLike(x) as float64. */
async function noisyGraph(file: string): Promise<string> {
  const g = new GraphBuilder();
  const x = g.input('x', 'float32', [4]);
  const normal = g.op('RandomNormalLike', [x], 'float32');
  const uniform = g.op('RandomUniform', [], 'float32', { shape: { ints: [4] }, dtype: { int: 1 } });
  g.output(g.add(g.add(x, g.mul(normal, 0.01)), uniform), 'y', [4]);
  g.output(g.op('RandomNormalLike', [x], 'float64', { dtype: { int: 11 } }), 'z', [4]);
  await g.save(dir, file);
  return join(dir, file);
}

async function runTwice(path: string): Promise<[Record<string, ort.Tensor>, Record<string, ort.Tensor>]> {
  const session = await ort.InferenceSession.create(path);
  const x = new ort.Tensor('float32', Float32Array.of(0.5, -0.25, 0, 1), [4]);
  try {
    return [await session.run({ x }), await session.run({ x })];
  } finally {
    await session.release();
  }
}

describe('removing the random noise of a published graph', () => {
  it('replaces every random op by zeros of its shape and type, so two runs agree and the noise is gone', async () => {
    const path = await noisyGraph('noisy.onnx');
    const [a, b] = await runTwice(path);
    expect(Array.from(a.y!.data as Float32Array)).not.toEqual(Array.from(b.y!.data as Float32Array));

    expect(await removeRandomNoise(path)).toBe(3);
    const [c, d] = await runTwice(path);
    expect(Array.from(c.y!.data as Float32Array)).toEqual([0.5, -0.25, 0, 1]);
    expect(Array.from(d.y!.data as Float32Array)).toEqual([0.5, -0.25, 0, 1]);
    expect(c.z!.type).toBe('float64');
    expect(Array.from(c.z!.data as Float64Array)).toEqual([0, 0, 0, 0]);
  });

  it('leaves a graph without random ops byte for byte, and a second pass changes nothing', async () => {
    const g = new GraphBuilder();
    g.output(g.neg(g.input('x', 'float32', [4])), 'y', [4]);
    await g.save(dir, 'clean.onnx');
    const before = await readFile(join(dir, 'clean.onnx'));
    expect(await removeRandomNoise(join(dir, 'clean.onnx'))).toBe(0);
    expect((await readFile(join(dir, 'clean.onnx'))).equals(before)).toBe(true);

    const path = await noisyGraph('twice.onnx');
    await removeRandomNoise(path);
    const once = await readFile(path);
    expect(await removeRandomNoise(path)).toBe(0);
    expect((await readFile(path)).equals(once)).toBe(true);
  });
});
