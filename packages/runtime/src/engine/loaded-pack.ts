import { join } from 'node:path';
import * as ort from './onnxruntime.js';
import { type PackManifest, PackError, SECONDS_FEATURES } from '../pack-format/index.js';
import { SafetensorsFile } from '../model-files/index.js';
import type { ExplicitConditioning } from './dit-feeds.js';
import type { ProviderName } from './execution-providers.js';
import { GraphSession } from './graph-session.js';
import { secondsEmbedding } from './seconds-embedding.js';
import { PromptTokenizer } from './tokenizer.js';

type Role = keyof PackManifest['graphs'];

/** conditioner.safetensors: the learned padding, and the seconds Linear unless a conditioner graph does that part. */
export interface ConditionerWeights {
  readonly paddingEmbedding: Float32Array;
  readonly seconds: { readonly weight: Float32Array; readonly bias: Float32Array } | null;
}

/** A pack with its sessions, each opened on first use and then kept for every later run. */
export class LoadedPack {
  private readonly sessions = new Map<Role, Promise<GraphSession>>();
  /** DiTs with LoRA stacks merged in, by the stack's key. */
  private readonly ditVariants = new Map<string, Promise<GraphSession>>();
  private tokenizer: Promise<PromptTokenizer> | undefined;
  private weights: Promise<ConditionerWeights | null> | undefined;

  constructor(
    readonly dir: string,
    readonly manifest: PackManifest,
    readonly hash: string,
    private readonly providers: readonly ProviderName[],
    private readonly log: (line: string) => void,
  ) {}

  graph(role: Role): Promise<GraphSession> {
    let session = this.sessions.get(role);
    if (!session) {
      const spec = this.manifest.graphs[role];
      if (!spec) return Promise.reject(new PackError('graph_missing', `the pack ${this.manifest.id} has no ${role} graph`));
      session = GraphSession.open(this.dir, spec, this.providers, this.log);
      session.catch(() => this.sessions.delete(role));
      this.sessions.set(role, session);
    }
    return session;
  }

  /** A DiT with merged weights at `<dir>/<file>`, opened once per key with the pack's DiT inputs and outputs. */
  ditVariant(key: string, dir: string, file: string): Promise<GraphSession> {
    let session = this.ditVariants.get(key);
    if (!session) {
      session = GraphSession.open(dir, { ...this.manifest.graphs.dit, file }, this.providers, this.log);
      session.catch(() => this.ditVariants.delete(key));
      this.ditVariants.set(key, session);
    }
    return session;
  }

  getTokenizer(): Promise<PromptTokenizer> {
    this.tokenizer ??= PromptTokenizer.load(join(this.dir, this.manifest.text.tokenizer), this.manifest.text.maxTokens);
    return this.tokenizer;
  }

  conditionerWeights(): Promise<ConditionerWeights | null> {
    this.weights ??= (async () => {
      if (this.manifest.ditLayout !== 'explicit' || !this.manifest.conditionerWeights) return null;
      const path = join(this.dir, this.manifest.conditionerWeights);
      const file = await SafetensorsFile.open(path);
      try {
        const read = async (name: string, size: number) => {
          const data = await file.readFloat32(name).catch(() => {
            throw new PackError('manifest_invalid', `${path} has no tensor "${name}"`, this.manifest.conditionerWeights);
          });
          if (data.length !== size)
            throw new PackError('manifest_invalid', `${path} tensor "${name}" has ${data.length} values, expected ${size}`, this.manifest.conditionerWeights);
          return data;
        };
        const hidden = this.manifest.text.hiddenSize;
        const paddingEmbedding = await read('padding_embedding', hidden);
        if (this.manifest.graphs.conditioner) return { paddingEmbedding, seconds: null };
        return { paddingEmbedding, seconds: { weight: await read('seconds_weight', hidden * SECONDS_FEATURES), bias: await read('seconds_bias', hidden) } };
      } finally {
        await file.close();
      }
    })();
    return this.weights;
  }

  /**
   * The explicit layout's conditioning for a duration: the seconds embedding from the pack's
   * conditioner graph when it has one, else from conditioner.safetensors (with `secondsWeight`,
   * a LoRA-merged weight, in place of the stored one); null for the baked layout.
   */
  async explicitConditioning(seconds: number, secondsWeight?: Float32Array | null): Promise<ExplicitConditioning | null> {
    if (this.manifest.ditLayout !== 'explicit') return null;
    const weights = await this.conditionerWeights();
    const hidden = this.manifest.text.hiddenSize;
    let secondsRow: Float32Array;
    if (this.manifest.graphs.conditioner) {
      const conditioner = await this.graph('conditioner');
      const { embedding } = await conditioner.run({ seconds: new ort.Tensor('float32', Float32Array.of(seconds), [1]) });
      const data = embedding!.data as Float32Array;
      if (data.length !== hidden)
        throw new PackError(
          'graph_mismatch',
          `${conditioner.file} returned ${data.length} values for the seconds embedding, expected ${hidden}`,
          conditioner.file,
        );
      secondsRow = Float32Array.from(data);
    } else if (weights?.seconds) {
      secondsRow = secondsEmbedding(seconds, secondsWeight ?? weights.seconds.weight, weights.seconds.bias);
    } else {
      throw new PackError(
        'manifest_invalid',
        `the pack ${this.manifest.id} has an explicit-layout DiT but neither a conditioner graph nor conditioner weights`,
      );
    }
    return { secondsRow, paddingEmbedding: weights?.paddingEmbedding ?? null };
  }

  /** session.run counts and time per graph, for tests and benchmarks. */
  async stats(): Promise<Record<string, { runs: number; ms: number }>> {
    const out: Record<string, { runs: number; ms: number }> = {};
    for (const [role, session] of this.sessions) {
      const s = await session.catch(() => null);
      if (s) out[role] = { runs: s.runs, ms: s.runMs };
    }
    for (const [key, session] of this.ditVariants) {
      const s = await session.catch(() => null);
      if (s) out[`dit+lora:${key}`] = { runs: s.runs, ms: s.runMs };
    }
    return out;
  }

  async release(): Promise<void> {
    for (const session of [...this.sessions.values(), ...this.ditVariants.values()]) await (await session.catch(() => null))?.release();
    this.sessions.clear();
    this.ditVariants.clear();
  }
}
