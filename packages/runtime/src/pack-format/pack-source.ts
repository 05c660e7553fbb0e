import type { PackManifest } from './manifest.js';

export interface ResolvedPack {
  readonly dir: string;
  readonly manifest: PackManifest;
}

/** Where the engine finds installed packs; the store's PackLocator is the usual one. */
export interface PackSource {
  /** The installed pack a model id names; "auto" picks one. */
  resolve(model: string): Promise<ResolvedPack>;
  /** Checks a pack's files before its graphs are opened. */
  verify(dir: string, manifest: PackManifest): Promise<void>;
}
