import { readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
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

/** Finds installed packs by id: a root is a pack folder itself or a folder of pack folders. */
export class PackLocator implements PackSource {
  constructor(readonly roots: readonly string[] = defaultPackRoots()) {}

  async verify(dir: string, manifest: PackManifest): Promise<void> {
    await verifyPackFiles(dir, manifest);
  }

  async list(): Promise<LocatedPack[]> {
    const found: LocatedPack[] = [];
    for (const root of this.roots) {
      const dirs = existsSync(join(root, PACK_MANIFEST))
        ? [root]
        : (await readdir(root, { withFileTypes: true }).catch(() => []))
            .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
            .map((entry) => join(root, entry.name))
            .filter((dir) => existsSync(join(dir, PACK_MANIFEST)));
      for (const dir of dirs) found.push({ dir, manifest: await loadManifest(dir) });
    }
    return found;
  }

  async resolve(model: string): Promise<LocatedPack> {
    const ids = new Map<string, string>();
    for (const root of this.roots) {
      const dirs = existsSync(join(root, PACK_MANIFEST))
        ? [root]
        : (await readdir(root, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => join(root, e.name));
      for (const dir of dirs) {
        if (!existsSync(join(dir, PACK_MANIFEST))) continue;
        const id = await loadManifest(dir)
          .then((m) => m.id)
          .catch(() => null);
        if (id && !ids.has(id)) ids.set(id, dir);
      }
    }
    const pick = model === 'auto' ? (autoPreference.find((id) => ids.has(id)) ?? [...ids.keys()].sort()[0]) : model;
    const dir = pick === undefined ? undefined : ids.get(pick);
    if (!dir) {
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
    return { dir, manifest: await loadManifest(dir) };
  }
}
