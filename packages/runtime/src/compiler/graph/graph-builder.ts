/**
 * A typed builder for ONNX graphs at opset 17.
 *
 * Convention: every statement that makes a value ends with a comment giving its shape, with
 * symbolic dims by name, e.g. `const y = g.matMul(x, w); // [1,2,L,4096]`.
 */
import { arrayOf, onnxDataType, type OnnxDtype, makeTensorValue } from '../../model-files/index.js';
import { GraphCore, MICROSOFT_DOMAIN, type Attributes, type Dim, type Value } from './graph-core.js';
import { isFloat } from './mixed-precision.js';

/** An int64 1-D operand: a graph value or literal numbers (made into a Constant). */
export type Ints = Value | readonly number[];
/** A scalar operand: a graph value or a number (a Constant of the other operand's dtype). */
export type Operand = Value | number;

export interface GemmOptions {
  readonly alpha?: number;
  readonly beta?: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

export class GraphBuilder extends GraphCore {
  // ---- constants -------------------------------------------------------------------------

  /** A 0-d constant. */
  scalar(value: number, dtype: OnnxDtype = 'float32', name?: string): Value {
    return this.constant(arrayOf(dtype, [value]), [], dtype, name);
  }

  /** A 1-D int64 constant (shapes, axes, indices). */
  int64s(values: readonly number[], name?: string): Value {
    return this.constant(arrayOf('int64', values), [values.length], 'int64', name);
  }

  /** A float32 constant of the given dims (1-D by default). */
  floats(values: readonly number[], dims: readonly number[] = [values.length], name?: string): Value {
    return this.constant(Float32Array.from(values), dims, 'float32', name);
  }

  private ints(v: Ints): Value {
    return Array.isArray(v) ? this.int64s(v as readonly number[]) : (v as Value);
  }

  private operand(v: Operand, like: Value): Value {
    return typeof v === 'number' ? this.scalar(v, like.dtype) : v;
  }

  private binary(op: string, a: Operand, b: Operand, outDtype: OnnxDtype | undefined, name: string | undefined): Value {
    if (typeof a === 'number' && typeof b === 'number') throw new TypeError(`${op}: at least one operand must be a graph value`);
    const left = typeof a === 'number' ? this.operand(a, b as Value) : a;
    const right = this.operand(b, left);
    const mixedFloats = this.mixedPrecision && isFloat(left.dtype) && isFloat(right.dtype);
    if (op !== 'Pow' && left.dtype !== right.dtype && !mixedFloats)
      throw new TypeError(`${op}: operands ${left.name} (${left.dtype}) and ${right.name} (${right.dtype}) differ in dtype`);
    return this.op(op, [left, right], outDtype ?? left.dtype, {}, name);
  }

  // ---- elementwise -----------------------------------------------------------------------

  add(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Add', a, b, undefined, name);
  }
  sub(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Sub', a, b, undefined, name);
  }
  mul(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Mul', a, b, undefined, name);
  }
  div(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Div', a, b, undefined, name);
  }
  pow(a: Value, b: Operand, name?: string): Value {
    return this.binary('Pow', a, b, undefined, name);
  }
  equal(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Equal', a, b, 'bool', name);
  }
  less(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Less', a, b, 'bool', name);
  }
  lessOrEqual(a: Operand, b: Operand, name?: string): Value {
    return this.binary('LessOrEqual', a, b, 'bool', name);
  }
  greater(a: Operand, b: Operand, name?: string): Value {
    return this.binary('Greater', a, b, 'bool', name);
  }
  greaterOrEqual(a: Operand, b: Operand, name?: string): Value {
    return this.binary('GreaterOrEqual', a, b, 'bool', name);
  }
  and(a: Value, b: Value, name?: string): Value {
    return this.binary('And', a, b, 'bool', name);
  }
  or(a: Value, b: Value, name?: string): Value {
    return this.binary('Or', a, b, 'bool', name);
  }

  /** Elementwise maximum of all values (numbers become constants of the first value's dtype). */
  max(values: readonly Operand[], name?: string): Value {
    return this.variadic('Max', values, name);
  }
  min(values: readonly Operand[], name?: string): Value {
    return this.variadic('Min', values, name);
  }

  private variadic(op: string, values: readonly Operand[], name: string | undefined): Value {
    const first = values.find((v): v is Value => typeof v !== 'number');
    if (!first) throw new TypeError(`${op}: at least one operand must be a graph value`);
    return this.op(
      op,
      values.map((v) => this.operand(v, first)),
      first.dtype,
      {},
      name,
    );
  }

  private unary(op: string, x: Value, name: string | undefined, outDtype: OnnxDtype = x.dtype): Value {
    return this.op(op, [x], outDtype, {}, name);
  }

  neg(x: Value, name?: string): Value {
    return this.unary('Neg', x, name);
  }
  abs(x: Value, name?: string): Value {
    return this.unary('Abs', x, name);
  }
  sqrt(x: Value, name?: string): Value {
    return this.unary('Sqrt', x, name);
  }
  exp(x: Value, name?: string): Value {
    return this.unary('Exp', x, name);
  }
  log(x: Value, name?: string): Value {
    return this.unary('Log', x, name);
  }
  sin(x: Value, name?: string): Value {
    return this.unary('Sin', x, name);
  }
  cos(x: Value, name?: string): Value {
    return this.unary('Cos', x, name);
  }
  tanh(x: Value, name?: string): Value {
    return this.unary('Tanh', x, name);
  }
  sigmoid(x: Value, name?: string): Value {
    return this.unary('Sigmoid', x, name);
  }
  relu(x: Value, name?: string): Value {
    return this.unary('Relu', x, name);
  }
  erf(x: Value, name?: string): Value {
    return this.unary('Erf', x, name);
  }
  reciprocal(x: Value, name?: string): Value {
    return this.unary('Reciprocal', x, name);
  }
  floor(x: Value, name?: string): Value {
    return this.unary('Floor', x, name);
  }
  ceil(x: Value, name?: string): Value {
    return this.unary('Ceil', x, name);
  }
  not(x: Value, name?: string): Value {
    return this.unary('Not', x, name);
  }
  identity(x: Value, name?: string): Value {
    return this.unary('Identity', x, name);
  }

  /** x * sigmoid(x). */
  silu(x: Value, name?: string): Value {
    return this.mul(x, this.sigmoid(x), name);
  }

  cast(x: Value, to: OnnxDtype, name?: string): Value {
    return this.op('Cast', [x], to, { to: { int: onnxDataType[to] } }, name);
  }

  where(condition: Value, x: Operand, y: Operand, name?: string): Value {
    const like = typeof x === 'number' ? (y as Value) : x;
    if (typeof like === 'number') throw new TypeError('Where: x or y must be a graph value');
    return this.op('Where', [condition, this.operand(x, like), this.operand(y, like)], like.dtype, {}, name);
  }

  /** Clip with optional bounds (opset 11+: min and max are inputs). */
  clip(x: Value, min?: Operand, max?: Operand, name?: string): Value {
    const lo = min === undefined ? undefined : this.operand(min, x);
    const hi = max === undefined ? undefined : this.operand(max, x);
    return this.op('Clip', [x, lo, hi], x.dtype, {}, name);
  }

  softmax(x: Value, axis = -1, name?: string): Value {
    return this.op('Softmax', [x], x.dtype, { axis: { int: axis } }, name);
  }

  layerNormalization(x: Value, scale: Value, bias?: Value, options: { axis?: number; epsilon?: number } = {}, name?: string): Value {
    return this.op('LayerNormalization', [x, scale, bias], x.dtype, { axis: { int: options.axis ?? -1 }, epsilon: { float: options.epsilon ?? 1e-5 } }, name);
  }

  /** One of ONNX Runtime's own operators (com.microsoft domain) with one output. */
  microsoftOp(opType: string, inputs: readonly (Value | undefined)[], outDtype: OnnxDtype, attributes: Attributes = {}): Value {
    return this.opMulti(opType, inputs, [outDtype], attributes, undefined, MICROSOFT_DOMAIN)[0]!;
  }

  // ---- linear algebra --------------------------------------------------------------------

  matMul(a: Value, b: Value, name?: string): Value {
    return this.binary('MatMul', a, b, undefined, name);
  }

  /** alpha * A' B' + beta * C with A' and B' optionally transposed (2-D only). */
  gemm(a: Value, b: Value, c?: Value, options: GemmOptions = {}, name?: string): Value {
    return this.op(
      'Gemm',
      [a, b, c],
      a.dtype,
      {
        alpha: options.alpha === undefined ? undefined : { float: options.alpha },
        beta: options.beta === undefined ? undefined : { float: options.beta },
        transA: options.transA ? { int: 1 } : undefined,
        transB: options.transB ? { int: 1 } : undefined,
      },
      name,
    );
  }

  // ---- shapes ----------------------------------------------------------------------------

  /** Reshape; 0 copies the input dim, -1 is inferred. */
  reshape(x: Value, shape: Ints, name?: string): Value {
    return this.op('Reshape', [x, this.ints(shape)], x.dtype, {}, name);
  }

  transpose(x: Value, perm: readonly number[], name?: string): Value {
    return this.op('Transpose', [x], x.dtype, { perm: { ints: perm } }, name);
  }

  gather(data: Value, indices: Value, axis = 0, name?: string): Value {
    return this.op('Gather', [data, indices], data.dtype, { axis: { int: axis } }, name);
  }

  concat(values: readonly Value[], axis: number, name?: string): Value {
    const first = values[0];
    if (!first) throw new RangeError('Concat needs at least one value');
    return this.op('Concat', values, first.dtype, { axis: { int: axis } }, name);
  }

  /** Slice (inputs since opset 10); ends may be huge (e.g. 2**62) to mean "to the end". */
  slice(x: Value, starts: Ints, ends: Ints, axes?: Ints, steps?: Ints, name?: string): Value {
    return this.op('Slice', [x, this.ints(starts), this.ints(ends), axes && this.ints(axes), steps && this.ints(steps)], x.dtype, {}, name);
  }

  /** Axes are an input since opset 13. */
  unsqueeze(x: Value, axes: Ints, name?: string): Value {
    return this.op('Unsqueeze', [x, this.ints(axes)], x.dtype, {}, name);
  }

  /** Axes are an input since opset 13; without them every size-1 dim goes. */
  squeeze(x: Value, axes?: Ints, name?: string): Value {
    return this.op('Squeeze', [x, axes && this.ints(axes)], x.dtype, {}, name);
  }

  expand(x: Value, shape: Ints, name?: string): Value {
    return this.op('Expand', [x, this.ints(shape)], x.dtype, {}, name);
  }

  tile(x: Value, repeats: Ints, name?: string): Value {
    return this.op('Tile', [x, this.ints(repeats)], x.dtype, {}, name);
  }

  /** The int64 shape of x, optionally dims [start, end) (opset 15+). */
  shape(x: Value, range: { start?: number; end?: number } = {}, name?: string): Value {
    return this.op(
      'Shape',
      [x],
      'int64',
      {
        start: range.start === undefined ? undefined : { int: range.start },
        end: range.end === undefined ? undefined : { int: range.end },
      },
      name,
    );
  }

  /** Split into pieces of the given sizes along axis (sizes are an input since opset 13). */
  split(x: Value, sizes: readonly number[], axis = 0, names?: readonly string[]): Value[] {
    return this.opMulti(
      'Split',
      [x, this.int64s(sizes)],
      sizes.map(() => x.dtype),
      { axis: { int: axis } },
      names,
    );
  }

  /** Pad; pads are [begin_0, ..., begin_n, end_0, ..., end_n] (an input since opset 11). */
  pad(x: Value, pads: Ints, mode: 'constant' | 'reflect' | 'edge' = 'constant', value?: Operand, name?: string): Value {
    return this.op('Pad', [x, this.ints(pads), value === undefined ? undefined : this.operand(value, x)], x.dtype, { mode: { string: mode } }, name);
  }

  /** A tensor of the given shape filled with one value. */
  constantOfShape(shape: Ints, value: number, dtype: OnnxDtype = 'float32', name?: string): Value {
    const tensor = makeTensorValue(arrayOf(dtype, [value]), [1], dtype, 'ConstantOfShape value');
    return this.op('ConstantOfShape', [this.ints(shape)], dtype, { value: { tensor } }, name);
  }

  /** [start, start+delta, ...) below limit; all three are scalars of one dtype. */
  range(start: Operand, limit: Operand, delta: Operand, dtype: OnnxDtype = 'int64', name?: string): Value {
    const scalar = (v: Operand): Value => (typeof v === 'number' ? this.scalar(v, dtype) : v);
    return this.op('Range', [scalar(start), scalar(limit), scalar(delta)], dtype, {}, name);
  }

  /**
   * If: `condition` (bool, one element) chooses the values of `thenBranch` or of `elseBranch`;
   * the two return values of the same dtypes, in order, with the given shapes.
   */
  async ifElse(
    condition: Value,
    thenBranch: () => Promise<readonly Value[]> | readonly Value[],
    elseBranch: () => Promise<readonly Value[]> | readonly Value[],
    shapes: readonly (readonly Dim[])[],
  ): Promise<Value[]> {
    const then = await this.subgraph('then_branch', thenBranch, shapes);
    const otherwise = await this.subgraph('else_branch', elseBranch, shapes);
    const dtypes = otherwise.outputs.map((v) => v.dtype);
    if (then.outputs.some((v, i) => v.dtype !== dtypes[i]))
      throw new RangeError(`the branches of an If give ${then.outputs.map((v) => v.dtype).join(', ')} and ${dtypes.join(', ')}`);
    return this.opMulti('If', [condition], dtypes, { then_branch: { graph: then.graph }, else_branch: { graph: otherwise.graph } });
  }

  // ---- reductions (opset 17: ReduceSum takes axes as an input, the others as an attribute) ----

  reduceSum(x: Value, axes: Ints, keepdims = true, name?: string): Value {
    return this.op('ReduceSum', [x, this.ints(axes)], x.dtype, { keepdims: { int: keepdims ? 1 : 0 } }, name);
  }

  reduceMax(x: Value, axes: readonly number[], keepdims = true, name?: string): Value {
    return this.reduceWithAttr('ReduceMax', x, axes, keepdims, name);
  }
  reduceMin(x: Value, axes: readonly number[], keepdims = true, name?: string): Value {
    return this.reduceWithAttr('ReduceMin', x, axes, keepdims, name);
  }
  reduceMean(x: Value, axes: readonly number[], keepdims = true, name?: string): Value {
    return this.reduceWithAttr('ReduceMean', x, axes, keepdims, name);
  }

  private reduceWithAttr(op: string, x: Value, axes: readonly number[], keepdims: boolean, name: string | undefined): Value {
    return this.op(op, [x], x.dtype, { axes: { ints: axes }, keepdims: { int: keepdims ? 1 : 0 } }, name);
  }
}
