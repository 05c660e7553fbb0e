/**
 * The weights of a DiT graph this project converted, as LoRA base weights: the compiler names
 * each initializer after its checkpoint key ("model.model.<path>.weight") and stores a Linear's
 * [out, in] weight transposed for x @ W, a pointwise Conv1d's as [out, in] for W @ x. Which one
 * a weight is comes from the MatMul that reads it, so square weights are never guessed.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fromHalfBits, onnx, type OnnxProto } from '../model-files/index.js';
import type { BaseWeights } from './base-weights.js';
import { LoraError } from './lora-error.js';
import { transpose } from './transpose.js';

/** A DiT .onnx over this size keeps its weights inline, which no pack this project writes does. */
const MAX_GRAPH_BYTES = 512 * 1024 * 1024;

const DataType = onnx.TensorProto.DataType;

export type StoredLayout = 'transposed' | 'direct';

export interface DitInitializer {
  readonly proto: OnnxProto.ITensorProto;
  readonly dtype: 'float32' | 'float16';
  /** [out, in] as the checkpoint has it. */
  readonly shape: readonly [number, number];
  readonly layout: StoredLayout;
}

export class OnnxDitWeights implements BaseWeights {
  private constructor(
    readonly path: string,
    readonly model: OnnxProto.ModelProto,
    private readonly weights: ReadonlyMap<string, DitInitializer>,
  ) {}

  /** Reads the graph (not its external data) of `path`; `packName` names the pack in refusals. */
  static async open(path: string, packName: string): Promise<OnnxDitWeights> {
    const size = (await stat(path)).size;
    if (size > MAX_GRAPH_BYTES)
      throw new LoraError('unsupported', `the DiT of ${packName} keeps its weights inside ${path}, so LoRA adapters cannot be merged into it`);
    const model = onnx.ModelProto.decode(await readFile(path));
    const weights = matrixWeights(model.graph!);
    if (![...weights.keys()].some((name) => name.startsWith('model.model.')))
      throw new LoraError(
        'unsupported',
        `the DiT of ${packName} does not name its weights after the checkpoint keys ("model.model.<path>.weight"), so LoRA adapters cannot be mapped onto it; convert the checkpoint with sa3 models convert to use LoRA files`,
      );
    return new OnnxDitWeights(path, model, weights);
  }

  initializer(key: string): DitInitializer | undefined {
    return this.weights.get(key);
  }

  shape(key: string): readonly number[] | undefined {
    return this.weights.get(key)?.shape;
  }

  async read(key: string): Promise<Float32Array> {
    const weight = this.weights.get(key)!;
    const values = await this.readStored(key);
    const [out, inDim] = weight.shape;
    return weight.layout === 'transposed' ? transpose(values, inDim, out) : values;
  }

  /** The weight as float32 in the layout the graph stores it ([in, out] when transposed). */
  async readStored(key: string): Promise<Float32Array> {
    const weight = this.weights.get(key)!;
    const stored = await this.storedBytes(weight.proto);
    const aligned = stored.byteOffset % 4 === 0 ? stored : Uint8Array.from(stored);
    const values =
      weight.dtype === 'float16'
        ? fromHalfBits(new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2))
        : new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
    return values;
  }

  /** The bytes of a tensor as stored: its external data range or its inline raw data. */
  async storedBytes(proto: OnnxProto.ITensorProto): Promise<Uint8Array> {
    if (proto.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) {
      if (proto.rawData && proto.rawData.length > 0) return proto.rawData;
      if (proto.floatData && proto.floatData.length > 0) return new Uint8Array(Float32Array.from(proto.floatData).buffer);
      if (proto.int32Data && proto.int32Data.length > 0) return new Uint8Array(Uint16Array.from(proto.int32Data).buffer);
      return new Uint8Array(0);
    }
    const entry = (key: string) => proto.externalData?.find((e) => e.key === key)?.value ?? undefined;
    const location = join(dirname(this.path), entry('location') ?? '');
    const offset = Number(entry('offset') ?? 0);
    const length = Number(entry('length') ?? 0);
    const handle = await open(location, 'r');
    try {
      const bytes = new Uint8Array(length);
      for (let done = 0; done < length;) {
        const { bytesRead } = await handle.read(bytes, done, length - done, offset + done);
        if (bytesRead === 0) throw new LoraError('unsupported', `${location} ends before the weight "${proto.name}" it should hold`);
        done += bytesRead;
      }
      return bytes;
    } finally {
      await handle.close();
    }
  }
}

/** Float 2-D initializers read by a MatMul (directly or through one Cast), by name. */
function matrixWeights(graph: OnnxProto.IGraphProto): Map<string, DitInitializer> {
  const consumers = new Map<string, { op: string; index: number; output: string }[]>();
  for (const node of graph.node ?? []) {
    (node.input ?? []).forEach((name, index) => {
      const list = consumers.get(name) ?? [];
      list.push({ op: node.opType ?? '', index, output: node.output?.[0] ?? '' });
      consumers.set(name, list);
    });
  }
  const layoutOf = (name: string, depth = 0): StoredLayout | undefined => {
    for (const use of consumers.get(name) ?? []) {
      if (use.op === 'MatMul') return use.index === 1 ? 'transposed' : 'direct';
      if (use.op === 'Cast' && depth === 0) return layoutOf(use.output, 1);
    }
    return undefined;
  };
  const weights = new Map<string, DitInitializer>();
  for (const proto of graph.initializer ?? []) {
    const dims = (proto.dims ?? []).map(Number);
    const dtype = proto.dataType === DataType.FLOAT ? 'float32' : proto.dataType === DataType.FLOAT16 ? 'float16' : undefined;
    if (!proto.name || !dtype || dims.length !== 2) continue;
    const layout = layoutOf(proto.name);
    if (!layout) continue;
    const shape: [number, number] = layout === 'transposed' ? [dims[1]!, dims[0]!] : [dims[0]!, dims[1]!];
    weights.set(proto.name, { proto, dtype, shape, layout });
  }
  return weights;
}
