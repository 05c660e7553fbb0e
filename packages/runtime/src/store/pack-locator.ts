import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadManifest, PACK_MANIFEST, type PackManifest, PackError, type PackSource } from '../pack-format/index.js';
import { verifyPackFiles } from './verify-files.js';

/** Where packs live: $SA3_HOME/packs, SA3_HOME defaulting to the user's cache folder. */
export function sa3Home(): string {
  return process.env.SA3_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sa3');
}

export function defaultPackRoots(): string[] {
  const extra = (process.env.SA3_PACKS ?? '').split(delimiter).filter(Boolean);
  return [join(sa3Home(), 'packs'), ...extra];
}

/** "auto" picks the first installed of these, then any other pack. */
export const autoPreference = ['medium', 'small-music', 'small-sfx', 'medium-base', 'small-music-base', 'small-sfx-base', 'small-music-int4'];

export interface LocatedPack {
  readonly dir: string;
  readonly manifest: PackManifest;
}

/** A folder that holds a pack manifest but cannot be used, with why. */
export interface DamagedPack {
  readonly dir: string;
  readonly problem: PackError;
}

interface Scan {
  readonly packs: LocatedPack[];
  readonly damaged: DamagedPack[];
}

/** Finds installed packs by id: a root is a pack folder itself or a folder of pack folders. */
export class PackLocator implements PackSource {
  constructor(readonly roots: readonly string[] = defaultPackRoots()) {}

  async verify(dir: string, manifest: PackManifest): Promise<void> {
    await verifyPackFiles(dir, manifest);
  }

  /** The packs that load, in root order (the first of an id wins in resolve). */
  async list(): Promise<LocatedPack[]> {
    return (await this.scan()).packs;
  }

  /** Pack folders whose manifest or files are broken, so they can be named instead of silently skipped. */
  async damaged(): Promise<DamagedPack[]> {
    return (await this.scan()).damaged;
  }

  async resolve(model: string): Promise<LocatedPack> {
    const { packs, damaged } = await this.scan();
    const ids = new Map<string, LocatedPack>();
    for (const pack of packs) if (!ids.has(pack.manifest.id)) ids.set(pack.manifest.id, pack);
    const pick = model === 'auto' ? (autoPreference.find((id) => ids.has(id)) ?? [...ids.keys()].sort()[0]) : model;
    const found = pick === undefined ? undefined : ids.get(pick);
    if (found) return found;
    const broken = damaged.find((d) => basename(d.dir) === model) ?? (model === 'auto' ? damaged[0] : undefined);
    if (broken) {
      const name = basename(broken.dir);
      throw new PackError(
        'pack_damaged',
        `the model pack "${name}" in ${broken.dir} cannot be used: ${broken.problem.message}; remove it with "sa3 models remove ${name}" and install it again`,
        broken.problem.file,
      );
    }
    const installed = [...ids.keys()];
    const hint =
      'pull one with "sa3 models pull small-music" (accept its licence on huggingface.co/stabilityai/stable-audio-3-small-music and set HF_TOKEN first), or make an offline test pack with "sa3 models testpack"';
    throw new PackError(
      'model_not_installed',
      model === 'auto' || installed.length === 0
        ? `no model pack is installed (looked in ${this.roots.join(', ')}); ${hint}`
        : `the model "${model}" is not installed; installed: ${installed.join(', ')}`,
    );
  }

  private async scan(): Promise<Scan> {
    const packs: LocatedPack[] = [];
    const damaged: DamagedPack[] = [];
    for (const root of this.roots) {
      const dirs = existsSync(join(root, PACK_MANIFEST))
        ? [root]
        : (await readdir(root, { withFileTypes: true }).catch(() => []))
            .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
            .map((entry) => join(root, entry.name))
            .filter((dir) => existsSync(join(dir, PACK_MANIFEST)));
      for (const dir of dirs) {
        try {
          packs.push({ dir, manifest: await loadManifest(dir) });
        } catch (error) {
          if (!(error instanceof PackError)) throw error;
          damaged.push({ dir, problem: error });
        }
      }
    }
    return { packs, damaged };
  }
}
