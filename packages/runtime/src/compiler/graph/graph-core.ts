import {
  dtypeOfArray,
  onnxDataType,
  type OnnxDtype,
  type TensorData,
  encodeModel,
  saveModel,
  type SaveOptions,
  type SavedModel,
  type OnnxProto,
  makeTensorValue,
  tensorProto,
  type TensorValue,
} from '../../model-files/index.js';
import { castTarget, convertTensor, followsPrecision, isFloat, type FloatPrecision } from './mixed-precision.js';

export const IR_VERSION = 8;
export const OPSET_VERSION = 17;
/** ONNX Runtime's own operators (MultiHeadAttention, RotaryEmbedding, ...), at their only version. */
export const MICROSOFT_DOMAIN = 'com.microsoft';

/** A named value in the graph: a graph input, an initializer, a constant or a node output. */
export interface Value {
  readonly name: string;
  readonly dtype: OnnxDtype;
}

/** A dimension: a fixed size or a symbolic name ("L", "N", "batch"). */
export type Dim = number | string;

export type AttributeValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly string: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly tensor: TensorValue }
  | { readonly graph: OnnxProto.IGraphProto };

/** A declared graph input or output. */
export interface TensorDeclaration {
  readonly name: string;
  readonly dtype: OnnxDtype;
  readonly shape: readonly Dim[];
}

export type Attributes = Readonly<Record<string, AttributeValue | undefined>>;

const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;

function attributeProto(name: string, value: AttributeValue): OnnxProto.IAttributeProto {
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('string' in value) return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ('graph' in value) return { name, type: AttributeType.GRAPH, g: value.graph };
  return { name, type: AttributeType.TENSOR, t: tensorProto('', value.tensor) };
}

function valueInfo({ name, dtype, shape }: TensorDeclaration): OnnxProto.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: onnxDataType[dtype], shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

export interface ModelInfo {
  readonly graphName?: string;
  readonly producerName?: string;
  readonly docString?: string;
  /**
   * float16: float ops run in float16 except inside island(), which runs in float32; graph
   * inputs and outputs stay as declared (float outputs float32). Default float32: no rewriting.
   */
  readonly floatPrecision?: FloatPrecision;
}

/**
 * The bookkeeping half of the graph builder: names, inputs, outputs, initializers, nodes and
 * writing the model. The op helpers live in GraphBuilder.
 */
export class GraphCore {
  private readonly names = new Set<string>();
  private readonly counters = new Map<string, number>();
  private readonly nodes: OnnxProto.INodeProto[] = [];
  private readonly inputs: TensorDeclaration[] = [];
  private readonly outputs: TensorDeclaration[] = [];
  private readonly initializers: [string, TensorValue][] = [];
  private casts = new Map<string, Value>();
  /** Where new nodes go: the graph's own list, or a subgraph's while one is built. */
  private sink = this.nodes;
  private islandDepth = 0;
  private usesMicrosoftDomain = false;

  constructor(private readonly info: ModelInfo = {}) {}

  protected get mixedPrecision(): boolean {
    return this.info.floatPrecision === 'float16';
  }

  /** The float width new ops get here: float32 inside an island or in a float32 graph. */
  get floatRegion(): FloatPrecision {
    return this.islandDepth > 0 ? 'float32' : (this.info.floatPrecision ?? 'float32');
  }

  /**
   * Builds the ops of `build` in float32 (norms, softmax, RoPE, residual sums). Synchronous or
   * async; an async build must not interleave with other building.
   */
  island<T>(build: () => T): T {
    this.islandDepth++;
    let result: T;
    try {
      result = build();
    } catch (error) {
      this.islandDepth--;
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => this.islandDepth--) as T;
    this.islandDepth--;
    return result;
  }

  /** A name not used yet, from `base` ("MatMul" -> "matmul_3"). */
  protected freshName(base: string): string {
    const stem = base.toLowerCase();
    for (;;) {
      const n = (this.counters.get(stem) ?? 0) + 1;
      this.counters.set(stem, n);
      const name = `${stem}_${n}`;
      if (!this.names.has(name)) return name;
    }
  }

  private claim(name: string): string {
    if (name === '') throw new RangeError('value names must not be empty');
    if (this.names.has(name)) throw new RangeError(`the graph already has a value named "${name}"`);
    this.names.add(name);
    return name;
  }

  input(name: string, dtype: OnnxDtype, shape: readonly Dim[]): Value {
    this.inputs.push({ name: this.claim(name), dtype, shape: [...shape] });
    return { name, dtype };
  }

  /** Makes `value` a graph output called `name` (through an Identity when it has another name). */
  output(value: Value, name: string, shape: readonly Dim[]): void {
    // A mixed-precision graph hands float results over as float32.
    const boundaryCast = this.mixedPrecision && value.dtype === 'float16';
    const source = value.name === name && !boundaryCast ? value : this.island(() => this.op('Identity', [value], value.dtype, {}, name));
    this.outputs.push({ name: source.name, dtype: source.dtype, shape: [...shape] });
  }

  get declaredInputs(): readonly TensorDeclaration[] {
    return this.inputs;
  }

  get declaredOutputs(): readonly TensorDeclaration[] {
    return this.outputs;
  }

  /** A weight stored in graph.initializer; big ones may go to external data when saved. */
  initializer(name: string, data: TensorData, dims: readonly number[], dtype: OnnxDtype = dtypeOfArray(data)): Value {
    const tensor = makeTensorValue(data, dims, dtype, `initializer "${name}"`);
    this.initializers.push([this.claim(name), tensor]);
    return { name, dtype };
  }

  /** A small tensor held inline in a Constant node (never external). */
  constant(data: TensorData, dims: readonly number[], dtype: OnnxDtype = dtypeOfArray(data), name?: string): Value {
    const tensor = makeTensorValue(data, dims, dtype, `constant ${name ?? ''}`.trim());
    return this.op('Constant', [], dtype, { value: { tensor } }, name);
  }

  /** One node with one output. `undefined` inputs are omitted optional inputs. */
  op(opType: string, inputs: readonly (Value | undefined)[], outDtype: OnnxDtype, attributes: Attributes = {}, name?: string): Value {
    const [out] = this.opMulti(opType, inputs, [outDtype], attributes, name === undefined ? undefined : [name]);
    return out!;
  }

  opMulti(
    opType: string,
    inputs: readonly (Value | undefined)[],
    outDtypes: readonly OnnxDtype[],
    attributes: Attributes = {},
    names?: readonly string[],
    domain?: typeof MICROSOFT_DOMAIN,
  ): Value[] {
    // A control-flow node's outputs are its branches' values, whatever the region.
    if (this.mixedPrecision && opType !== 'If') ({ inputs, outDtypes, attributes } = this.inRegion(opType, inputs, outDtypes, attributes));
    const outputs = outDtypes.map((dtype, i) => ({ name: this.claim(names?.[i] ?? this.freshName(opType)), dtype }));
    // Trailing omitted inputs are dropped; inner ones are written as "" as ONNX wants.
    const inputNames = inputs.map((v) => v?.name ?? '');
    while (inputNames.length > 0 && inputNames[inputNames.length - 1] === '') inputNames.pop();
    if (domain) this.usesMicrosoftDomain = true;
    this.sink.push({
      ...(domain ? { domain } : {}),
      opType,
      name: this.freshName(`node_${opType}`),
      input: inputNames,
      output: outputs.map((o) => o.name),
      attribute: Object.entries(attributes).flatMap(([key, value]) => (value === undefined ? [] : [attributeProto(key, value)])),
    });
    return outputs;
  }

  /**
   * The body of a control-flow attribute (an If's branch): the nodes `build` adds go into it
   * rather than into this graph; it reads this graph's values by name, and its outputs are the
   * values `build` returns, declared with `shapes`.
   */
  async subgraph(
    name: string,
    build: () => Promise<readonly Value[]> | readonly Value[],
    shapes: readonly (readonly Dim[])[],
  ): Promise<{ readonly graph: OnnxProto.IGraphProto; readonly outputs: readonly Value[] }> {
    const [outerSink, outerCasts] = [this.sink, this.casts];
    const nodes: OnnxProto.INodeProto[] = [];
    this.sink = nodes;
    // Casts made inside stay inside: the outer graph cannot see the subgraph's values.
    this.casts = new Map(outerCasts);
    try {
      const values = await build();
      const made = new Set(nodes.flatMap((n) => n.output ?? []));
      const outputs = values.map((v) => (made.has(v.name) ? v : this.op('Identity', [v], v.dtype)));
      return { graph: { name, node: nodes, output: outputs.map((v, i) => valueInfo({ name: v.name, dtype: v.dtype, shape: shapes[i] ?? [] })) }, outputs };
    } finally {
      [this.sink, this.casts] = [outerSink, outerCasts];
    }
  }

  /** A node's inputs, output types and float attributes moved to the current region's width. */
  private inRegion(opType: string, inputs: readonly (Value | undefined)[], outDtypes: readonly OnnxDtype[], attributes: Attributes) {
    const region = this.floatRegion;
    const moved: Record<string, AttributeValue | undefined> = { ...attributes };
    for (const [key, value] of Object.entries(attributes)) {
      if (value && 'tensor' in value) moved[key] = { tensor: convertTensor(value.tensor, region) };
    }
    const to = attributes['to'];
    if (opType === 'Cast' && to && 'int' in to) moved['to'] = { int: castTarget(to.int, region) };
    return {
      inputs: inputs.map((v, i) => (v && isFloat(v.dtype) && v.dtype !== region && followsPrecision(opType, i) ? this.castTo(v, region) : v)),
      outDtypes: outDtypes.map((d) => (isFloat(d) ? region : d)),
      attributes: moved,
    };
  }

  /** `value` in the other float width, one Cast per value and width. */
  private castTo(value: Value, to: FloatPrecision): Value {
    const key = `${value.name}\u0000${to}`;
    let cast = this.casts.get(key);
    if (!cast) {
      [cast] = this.opMulti('Cast', [value], [to], { to: { int: onnxDataType[to] } });
      this.casts.set(key, cast!);
    }
    return cast!;
  }

  /** The ModelProto with the given initializer protos (inline or external). */
  modelProto(initializers: OnnxProto.ITensorProto[] = this.initializers.map(([name, t]) => tensorProto(name, t))): OnnxProto.IModelProto {
    if (this.outputs.length === 0) throw new RangeError('the graph has no outputs');
    return {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: OPSET_VERSION }, ...(this.usesMicrosoftDomain ? [{ domain: MICROSOFT_DOMAIN, version: 1 }] : [])],
      producerName: this.info.producerName ?? 'sa3-runtime',
      docString: this.info.docString ?? '',
      graph: {
        name: this.info.graphName ?? 'graph',
        node: this.nodes,
        input: this.inputs.map((d) => valueInfo(d)),
        output: this.outputs.map((d) => valueInfo(d)),
        initializer: initializers,
      },
    };
  }

  /** The whole model, weights inline, as protobuf bytes (fails over 2 GiB: use save()). */
  toBytes(): Uint8Array {
    return encodeModel(this.modelProto());
  }

  /** Writes `<dir>/<fileName>` and, for initializers over the threshold, `<dir>/<fileName>.data`. */
  save(dir: string, fileName: string, options: SaveOptions = {}): Promise<SavedModel> {
    return saveModel(dir, fileName, this.initializers, (initializers) => this.modelProto(initializers), options);
  }
}
