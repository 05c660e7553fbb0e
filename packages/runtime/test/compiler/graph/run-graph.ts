import * as ort from 'onnxruntime-node';
import type { GraphBuilder } from '../../../src/compiler/graph/index.js';

export type Feed = ort.Tensor;

export const f32 = (data: readonly number[], dims: readonly number[]): ort.Tensor => new ort.Tensor('float32', Float32Array.from(data), dims);
export const i64 = (data: readonly number[], dims: readonly number[]): ort.Tensor =>
  new ort.Tensor(
    'int64',
    BigInt64Array.from(data, (v) => BigInt(v)),
    dims,
  );
export const bool = (data: readonly boolean[], dims: readonly number[]): ort.Tensor =>
  new ort.Tensor(
    'bool',
    Uint8Array.from(data, (v) => (v ? 1 : 0)),
    dims,
  );

/** Runs the builder's model in onnxruntime-node and returns every output. */
export async function runGraph(g: GraphBuilder, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(g.toBytes());
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

export function values(t: ort.Tensor | undefined): number[] {
  if (!t) throw new Error('missing output');
  return Array.from(t.data as ArrayLike<number | bigint | boolean>, (v) => Number(v));
}
