/**
 * LoRA stacks on an installed pack. The adapters are merged into a copy of the DiT, written once
 * per (pack, files, strengths, layer filters) under the cache folder and opened like any graph:
 * sampling then costs what it costs without LoRA, and a changed downstream param never merges
 * again. An interval makes a step use the DiT of the adapters active at its t (the base DiT
 * when none is), so a stack holds at most one session per distinct active subset. The seconds
 * conditioner takes every adapter at every step, as officially.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeError, type LoraAdapter } from '@sa3/nodes';
import { sha256Hex, stableStringify } from '../files/index.js';
import { LoraError, LoraStack, OnnxDitWeights, readLoraFile, writeMergedDit, type BaseWeights, type LoraFile, type StackEntry } from '../lora/index.js';
import { SECONDS_FEATURES } from '../pack-format/index.js';
import type { GraphSession } from './graph-session.js';
import type { LoadedPack } from './loaded-pack.js';
import { MatMulSession } from './matmul-session.js';
import { MergedDitCache } from './merged-dit-cache.js';

/** The checkpoint key of the seconds conditioner's Linear, which conditioner.safetensors stores as seconds_weight. */
export const SECONDS_WEIGHT_KEY = 'conditioner.conditioners.seconds_total.embedder.embedding.1.weight';

const MERGED_DIT = 'dit.onnx';
/** Bumped when the merge changes what it writes, so older merged copies are not reused. */
const MERGE_FORMAT = 1;

export interface AdaptedModel {
  /** The DiT for sampling step `step` (0-based, of the step times given). */
  ditAt(step: number): Promise<GraphSession>;
  /** The seconds conditioner's weight with every adapter applied, or null when none changes it. */
  readonly secondsWeight: Float32Array | null;
}

interface ReadAdapter {
  readonly adapter: LoraAdapter;
  readonly file: LoraFile;
  /** Of the bytes read now. */
  readonly sha256: string;
}

export class LoraAdapters {
  private readonly files = new Map<string, Promise<LoraFile>>();
  private readonly cache: MergedDitCache;

  constructor(
    cacheDir: string,
    private readonly log: (line: string) => void,
  ) {
    this.cache = new MergedDitCache(cacheDir, MERGED_DIT);
  }

  /** Checks every file (hash, format, fit) and prepares the DiTs the steps at `stepTimes` need. */
  async adapt(pack: LoadedPack, adapters: readonly LoraAdapter[], stepTimes: readonly number[]): Promise<AdaptedModel> {
    const read: ReadAdapter[] = [];
    for (const adapter of adapters) read.push({ adapter, ...(await this.read(adapter)) });
    const base = await packWeights(pack);
    const entries = read.map(({ adapter, file }) => entryOf(adapter, file));
    const all = refusingInput(() => LoraStack.build(entries, base.weights, `the pack "${pack.manifest.id}"`));
    const secondsWeight = all.adaptedKeys.includes(SECONDS_WEIGHT_KEY) ? await base.mergedSeconds(all) : null;

    const byKey = new Map<string, Promise<GraphSession>>();
    const stepDits = stepTimes.map((t) => {
      const active = read.filter(({ adapter }) => adapter.strength !== 0 && t >= adapter.interval[0] && t <= adapter.interval[1]);
      const key = variantKey(pack.hash, active);
      let dit = byKey.get(key);
      if (!dit) {
        dit = this.variant(pack, base, active, key);
        byKey.set(key, dit);
      }
      return dit;
    });
    await Promise.all(byKey.values());
    return {
      secondsWeight,
      ditAt: (step) => stepDits[step] ?? pack.graph('dit'),
    };
  }

  /** The file's bytes checked against the hash the workflow recorded, then parsed (once per hash). */
  private async read(adapter: LoraAdapter): Promise<{ file: LoraFile; sha256: string }> {
    let bytes: Buffer;
    try {
      bytes = await readFile(adapter.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (error as Error).message})`;
      throw new NodeError('lora_unreadable', `the LoRA file ${adapter.file} ${why}`, { input: 'model', kind: 'input' });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (adapter.sha256 && sha256 !== adapter.sha256)
      throw new NodeError(
        'lora_hash_mismatch',
        `the LoRA file ${adapter.file} has changed: its sha256 is ${sha256}, but the workflow recorded ${adapter.sha256}`,
        { input: 'model', kind: 'input' },
      );
    let file = this.files.get(sha256);
    if (!file) {
      file = readLoraFile(adapter.file);
      file.catch(() => this.files.delete(sha256));
      this.files.set(sha256, file);
    }
    return { file: await refusingInputAsync(() => file), sha256 };
  }

  /** The pack's DiT when no adapter is active, else the merged copy for `active` (merged now unless cached). */
  private async variant(pack: LoadedPack, base: PackWeights, active: readonly ReadAdapter[], key: string): Promise<GraphSession> {
    const stack = LoraStack.build(
      active.map(({ adapter, file }) => entryOf(adapter, file)),
      base.weights,
      `the pack "${pack.manifest.id}"`,
    );
    if (!stack.adaptedKeys.some((k) => k.startsWith('model.'))) return pack.graph('dit');
    if (!(await this.cache.has(key))) {
      await this.cache.write(key, async (staging) => {
        const started = performance.now();
        const matMul = await MatMulSession.open();
        const written = await writeMergedDit(base.dit, stack, staging, MERGED_DIT, {
          multiply: (x, y, rows, inner, cols) => matMul.product(x, y, rows, inner, cols),
        }).finally(() => matMul.release());
        this.log(
          `merged ${active.length} LoRA file${active.length === 1 ? '' : 's'} into ${written.merged} weights of the ${pack.manifest.id} DiT in ${((performance.now() - started) / 1000).toFixed(1)} s (kept in ${this.cache.folder(key)})`,
        );
      });
    }
    return pack.ditVariant(key, this.cache.folder(key), MERGED_DIT);
  }
}

interface PackWeights {
  readonly weights: BaseWeights;
  readonly dit: OnnxDitWeights;
  mergedSeconds(stack: LoraStack): Promise<Float32Array>;
}

/** The pack's DiT initializers and seconds conditioner as one set of base weights for checks and merges. */
async function packWeights(pack: LoadedPack): Promise<PackWeights> {
  const { manifest } = pack;
  if (manifest.precision === 'int8')
    throw new NodeError('lora_unsupported', `the pack "${manifest.id}" is int8, and LoRA adapters merge into float weights: use its float32 or float16 pack`, {
      input: 'model',
      kind: 'input',
    });
  const dit = await refusingInputAsync(() => OnnxDitWeights.open(join(pack.dir, manifest.graphs.dit.file), `the pack "${manifest.id}"`));
  const conditioner = await pack.conditionerWeights();
  const hidden = manifest.text.hiddenSize;
  const secondsShape = conditioner?.seconds ? [hidden, SECONDS_FEATURES] : undefined;
  return {
    dit,
    weights: {
      shape: (key) => (key === SECONDS_WEIGHT_KEY ? secondsShape : dit.shape(key)),
      read: (key) => (key === SECONDS_WEIGHT_KEY ? Promise.resolve(conditioner!.seconds!.weight) : dit.read(key)),
    },
    mergedSeconds: (stack) => Promise.resolve(stack.mergeLayer(SECONDS_WEIGHT_KEY, conditioner!.seconds!.weight, secondsShape!)),
  };
}

function entryOf(adapter: LoraAdapter, file: LoraFile): StackEntry {
  return { file, strength: adapter.strength, ...(adapter.layerFilter ? { layerFilter: adapter.layerFilter } : {}) };
}

/** What decides a merged DiT: the pack and, in order, each active file's hash, strength and layer filter. */
function variantKey(packHash: string, active: readonly ReadAdapter[]): string {
  const adapters = active.map(({ adapter, sha256 }) => ({ sha256, strength: adapter.strength, layerFilter: adapter.layerFilter }));
  return sha256Hex(stableStringify({ format: MERGE_FORMAT, pack: packHash, adapters })).slice(0, 32);
}

function refusingInput<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asInputError(error);
  }
}

async function refusingInputAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asInputError(error);
  }
}

function asInputError(error: unknown): unknown {
  return error instanceof LoraError ? new NodeError(`lora_${error.code}`, error.message, { input: 'model', kind: 'input' }) : error;
}
