/**
 * One float32 MatMul on ONNX Runtime, for the low-rank products of a LoRA merge: B·A at rank 16
 * over every weight of medium is about 46 billion multiply-adds per adapter pair, which MLAS does
 * on every core in seconds where a JavaScript loop takes minutes. Float32 sums differ from the
 * float64 ones of the JavaScript path by about one part in 10^7 of the update.
 */
import { encodeModel, onnx } from '../model-files/index.js';
import * as ort from './onnxruntime.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function matrix(name: string, rows: string, cols: string) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: rows }, { dimParam: cols }] } } } };
}

function matMulModel(): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'sa3-runtime',
    graph: {
      name: 'low_rank_product',
      node: [{ opType: 'MatMul', input: ['x', 'y'], output: ['z'] }],
      input: [matrix('x', 'rows', 'inner'), matrix('y', 'inner', 'cols')],
      output: [matrix('z', 'rows', 'cols')],
    },
  });
}

export class MatMulSession {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async open(): Promise<MatMulSession> {
    return new MatMulSession(await ort.InferenceSession.create(matMulModel(), { graphOptimizationLevel: 'all' }));
  }

  /** x [rows, inner] · y [inner, cols]. */
  async product(x: Float32Array, y: Float32Array, rows: number, inner: number, cols: number): Promise<Float32Array> {
    const { z } = await this.session.run({ x: new ort.Tensor('float32', x, [rows, inner]), y: new ort.Tensor('float32', y, [inner, cols]) });
    return z!.data as Float32Array;
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
