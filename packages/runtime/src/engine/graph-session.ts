import { join } from 'node:path';
import * as ort from './onnxruntime.js';
import { type GraphSpec, type TensorSpec, PackError } from '../pack-format/index.js';
import { openSession, type ProviderName } from './execution-providers.js';
import { fromHalfBits, toHalfBits } from '../model-files/index.js';

const ortTypes: Record<TensorSpec['dtype'], string> = { float32: 'float32', float16: 'float16', int64: 'int64', int32: 'int32', bool: 'bool' };

function describeShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/** Checks the graph's real inputs and outputs against what the manifest says, one sentence per mismatch. */
function checkAgainstManifest(file: string, session: ort.InferenceSession, spec: GraphSpec): void {
  for (const [kind, declared, actual] of [
    ['input', spec.inputs, session.inputMetadata],
    ['output', spec.outputs, session.outputMetadata],
  ] as const) {
    for (const [role, tensor] of Object.entries(declared)) {
      const meta = actual.find((m) => m.name === tensor.name);
      if (!meta) {
        throw new PackError(
          'graph_mismatch',
          `${file} has no ${kind} "${tensor.name}" (the ${role} ${kind} the pack declares); its ${kind}s are ${actual.map((m) => m.name).join(', ')}`,
          file,
        );
      }
      if (!meta.isTensor) continue;
      if (meta.type !== ortTypes[tensor.dtype]) {
        throw new PackError('graph_mismatch', `${file} ${kind} "${tensor.name}" is ${meta.type}, but the pack declares ${tensor.dtype}`, file);
      }
      const fixedMismatch =
        meta.shape.length !== tensor.shape.length ||
        meta.shape.some((d, i) => typeof d === 'number' && typeof tensor.shape[i] === 'number' && d !== tensor.shape[i]);
      if (meta.shape.length > 0 && fixedMismatch) {
        throw new PackError(
          'graph_mismatch',
          `${file} ${kind} "${tensor.name}" has shape ${describeShape(meta.shape)}, but the pack declares ${describeShape(tensor.shape)}`,
          file,
        );
      }
    }
  }
}

/**
 * One ONNX graph of a pack with its session, opened once and reused. Feeds and results are
 * keyed by role ("x", "velocity"), so callers never see a pack's own tensor names.
 */
export class GraphSession {
  private constructor(
    readonly file: string,
    private readonly session: ort.InferenceSession,
    private readonly spec: GraphSpec,
    readonly provider: ProviderName,
  ) {}

  /** Counts session.run calls and the time inside them, for tests and benchmarks. */
  runs = 0;
  runMs = 0;

  static async open(dir: string, spec: GraphSpec, providers: readonly ProviderName[], log: (line: string) => void): Promise<GraphSession> {
    const path = join(dir, spec.file);
    let opened;
    try {
      opened = await openSession(path, providers, log);
    } catch (error) {
      throw new PackError('graph_unloadable', `${path} could not be loaded by ONNX Runtime: ${(error as Error).message.split('\n')[0]}`, spec.file);
    }
    checkAgainstManifest(spec.file, opened.session, spec);
    return new GraphSession(spec.file, opened.session, spec, opened.provider);
  }

  hasInput(role: string): boolean {
    return Object.hasOwn(this.spec.inputs, role);
  }

  /**
   * Runs the graph. The host always works in float32: inputs a pack declares as float16 are
   * converted on the way in, float16 outputs on the way out.
   */
  async run(feeds: Readonly<Record<string, ort.Tensor>>): Promise<Record<string, ort.Tensor>> {
    const named: Record<string, ort.Tensor> = {};
    for (const [role, tensor] of Object.entries(feeds)) {
      const spec = this.spec.inputs[role];
      if (!spec) continue;
      named[spec.name] =
        spec.dtype === 'float16' && tensor.type === 'float32' ? new ort.Tensor('float16', toHalfBits(tensor.data as Float32Array), tensor.dims) : tensor;
    }
    const started = performance.now();
    const results = await this.session.run(named);
    this.runMs += performance.now() - started;
    this.runs++;
    const out: Record<string, ort.Tensor> = {};
    for (const [role, spec] of Object.entries(this.spec.outputs)) {
      const result = results[spec.name]!;
      out[role] = result.type === 'float16' ? new ort.Tensor('float32', fromHalfBits(result.data as Uint16Array), result.dims) : result;
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
