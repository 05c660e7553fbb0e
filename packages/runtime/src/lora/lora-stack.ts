/**
 * An ordered stack of LoRA files with a strength each, merged one weight at a time. The
 * official parametrizations chain, W -> p0(W) -> p1(p0(W)), so a DoRA after a LoRA normalises
 * the already-updated weight; the -xs bases always come from the original base weight.
 */
import { adapterFactor, applyAdapter, applyLoraTransposed, applyLoraTransposedWith, type AdapterStep, type LowRankProduct } from './apply-adapter.js';
import { usesSvdBases } from './adapter-type.js';
import { fans, type BaseWeights } from './base-weights.js';
import { checkLoraFits } from './fit-check.js';
import { LoraError } from './lora-error.js';
import type { LayerAdapter, LoraFile } from './lora-file.js';
import { matchesLayerFilter } from './name-patterns.js';
import { computeSvdBases, type SvdBases, type SvdBasesFile } from './svd-bases.js';
import { transpose } from './transpose.js';

export interface StackEntry {
  readonly file: LoraFile;
  /** Any finite number; 0 leaves every weight as it was, negative pushes the other way. */
  readonly strength: number;
  /**
   * The official run-time layer filter: comma-separated patterns (with "[a-b]" ranges) matched,
   * lowercased, against DiT layer paths ("transformer.layers.3.self_attn.to_qkv"); matching
   * layers keep their weight for this adapter. Conditioner layers are never filtered.
   */
  readonly layerFilter?: string;
  /** For -xs files: the bases training used, instead of recomputing them from the base weight. */
  readonly svdBases?: SvdBasesFile;
}

export interface MergedLayer {
  readonly key: string;
  readonly shape: readonly number[];
  readonly weight: Float32Array;
}

export class LoraStack {
  private constructor(
    readonly entries: readonly StackEntry[],
    /** Root keys of the weights some adapter changes, in first-seen order. */
    readonly adaptedKeys: readonly string[],
  ) {}

  /** Checks every file against the model and every strength, refusing the first problem in one sentence. */
  static build(entries: readonly StackEntry[], base: BaseWeights, modelName?: string): LoraStack {
    const keys = new Set<string>();
    for (const entry of entries) {
      if (typeof entry.strength !== 'number' || !Number.isFinite(entry.strength))
        throw new LoraError('bad_strength', `the strength of ${entry.file.path} is ${String(entry.strength)}, not a finite number`);
      checkLoraFits(entry.file, base, modelName);
      for (const layer of entry.file.layers.values()) if (isActive(entry, layer)) keys.add(layer.rootKey);
    }
    return new LoraStack(entries, [...keys]);
  }

  /** The weight the stack makes of `w0`, the base weight of `rootKey`; `w0` itself when no adapter changes it. */
  mergeLayer(rootKey: string, w0: Float32Array, shape: readonly number[]): Float32Array {
    const dims = fans(shape);
    if (!dims) return w0;
    let w = w0;
    for (const entry of this.entries) {
      const layer = entry.file.layers.get(rootKey);
      if (!layer || !isActive(entry, layer)) continue;
      const { file } = entry;
      w = applyAdapter(w, dims.fanOut, dims.fanIn, {
        type: file.adapterType,
        rank: file.config.rank,
        factor: adapterFactor(file.scaling, entry.strength),
        tensors: layer.tensors,
        bases: usesSvdBases(file.adapterType) ? basesOf(entry, rootKey, w0, dims.fanOut, dims.fanIn) : undefined,
      });
    }
    return w;
  }

  /**
   * mergeLayer for a weight as a graph stores it: `stored` is Wᵀ [fan_in, fan_out] when
   * `transposed`. A stack of plain lora steps works on Wᵀ directly (same values, no transposes);
   * other adapter types normalise rows or columns of W, so W is formed for them.
   */
  mergeStored(rootKey: string, stored: Float32Array, shape: readonly number[], transposed: boolean): Float32Array {
    const plan = this.storedPlan(rootKey, stored, shape, transposed);
    if (plan.kind === 'done') return plan.weight;
    let w = stored;
    for (const step of plan.steps) w = applyLoraTransposed(w, plan.fanOut, plan.fanIn, step);
    return w;
  }

  /** mergeStored with the low-rank products of the transposed lora path computed by `multiply` (float32, on every core). */
  async mergeStoredWith(rootKey: string, stored: Float32Array, shape: readonly number[], transposed: boolean, multiply: LowRankProduct): Promise<Float32Array> {
    const plan = this.storedPlan(rootKey, stored, shape, transposed);
    if (plan.kind === 'done') return plan.weight;
    let w = stored;
    for (const step of plan.steps) w = await applyLoraTransposedWith(w, plan.fanOut, plan.fanIn, step, multiply);
    return w;
  }

  /** The merged weight when it takes no transposed lora steps, else those steps. */
  private storedPlan(
    rootKey: string,
    stored: Float32Array,
    shape: readonly number[],
    transposed: boolean,
  ): { kind: 'done'; weight: Float32Array } | { kind: 'steps'; steps: AdapterStep[]; fanOut: number; fanIn: number } {
    if (!transposed) return { kind: 'done', weight: this.mergeLayer(rootKey, stored, shape) };
    const dims = fans(shape);
    if (!dims) return { kind: 'done', weight: stored };
    const active = this.entries.flatMap((entry) => {
      const layer = entry.file.layers.get(rootKey);
      return layer && isActive(entry, layer) ? [{ entry, layer }] : [];
    });
    if (active.length === 0) return { kind: 'done', weight: stored };
    if (!active.every(({ entry }) => entry.file.adapterType === 'lora')) {
      const merged = this.mergeLayer(rootKey, transpose(stored, dims.fanIn, dims.fanOut), shape);
      return { kind: 'done', weight: transpose(merged, dims.fanOut, dims.fanIn) };
    }
    const steps = active.map(({ entry, layer }) => ({
      type: entry.file.adapterType,
      rank: entry.file.config.rank,
      factor: adapterFactor(entry.file.scaling, entry.strength),
      tensors: layer.tensors,
    }));
    return { kind: 'steps', steps, ...dims };
  }

  /** Every adapted weight of the model, read, merged and handed over one at a time. */
  async *mergedLayers(base: BaseWeights): AsyncGenerator<MergedLayer> {
    for (const key of this.adaptedKeys) {
      const shape = base.shape(key)!;
      yield { key, shape, weight: this.mergeLayer(key, await base.read(key), shape) };
    }
  }
}

function isActive(entry: StackEntry, layer: LayerAdapter): boolean {
  if (entry.strength === 0) return false;
  return !(entry.layerFilter && layer.ditPath !== undefined && matchesLayerFilter(layer.ditPath, entry.layerFilter));
}

function basesOf(entry: StackEntry, rootKey: string, w0: Float32Array, fanOut: number, fanIn: number): SvdBases {
  const rank = entry.file.config.rank;
  return entry.svdBases?.basesFor(rootKey, fanOut, fanIn, rank) ?? computeSvdBases(w0, fanOut, fanIn, rank);
}
