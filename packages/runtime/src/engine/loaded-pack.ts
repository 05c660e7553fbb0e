import { join } from 'node:path';
import type { PackManifest } from '../packs/manifest.js';
import { SafetensorsFile } from '../tensors/safetensors.js';
import { PackError } from '../packs/pack-error.js';
import type { ConditionerWeights } from './dit-feeds.js';
import type { ProviderName } from './execution-providers.js';
import { GraphSession } from './graph-session.js';
import { PromptTokenizer } from './tokenizer.js';

type Role = 'textEncoder' | 'dit' | 'encoder' | 'decoder';

/** A pack with its sessions, each opened on first use and then kept for every later run. */
export class LoadedPack {
  private readonly sessions = new Map<Role, Promise<GraphSession>>();
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
      session = GraphSession.open(this.dir, this.manifest.graphs[role], this.providers, this.log);
      session.catch(() => this.sessions.delete(role));
      this.sessions.set(role, session);
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
          if (data.length !== size) throw new PackError('manifest_invalid', `${path} tensor "${name}" has ${data.length} values, expected ${size}`, this.manifest.conditionerWeights);
          return data;
        };
        const hidden = this.manifest.text.hiddenSize;
        return { paddingEmbedding: await read('padding_embedding', hidden), secondsWeight: await read('seconds_weight', hidden * 256), secondsBias: await read('seconds_bias', hidden) };
      } finally {
        await file.close();
      }
    })();
    return this.weights;
  }

  /** session.run counts and time per graph, for tests and benchmarks. */
  async stats(): Promise<Record<string, { runs: number; ms: number }>> {
    const out: Record<string, { runs: number; ms: number }> = {};
    for (const [role, session] of this.sessions) {
      const s = await session.catch(() => null);
      if (s) out[role] = { runs: s.runs, ms: s.runMs };
    }
    return out;
  }

  async release(): Promise<void> {
    for (const session of this.sessions.values()) await (await session.catch(() => null))?.release();
    this.sessions.clear();
  }
}
