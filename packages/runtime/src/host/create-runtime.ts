import { join } from 'node:path';
import { NodeError, type Engine, type NodeServices } from '@sa3/nodes';
import { createAudioIO, embedWorkflow } from '../audio/index.js';
import { Sa3Engine } from '../engine/index.js';
import { LoraLibrary, LoraLibraryError, PackLocator, sa3Home } from '../store/index.js';
import { Executor, type DiskResultStore, type ResultCache } from '../executor/index.js';

export interface RuntimeOptions {
  /** Relative audio paths in workflows resolve against this folder (the workflow file's). */
  readonly baseDir: string;
  /** The model engine; by default a Stable Audio 3 engine over the installed packs. Null: none. */
  readonly engine?: Engine | null;
  readonly uploadDir?: string;
  readonly cache?: ResultCache;
  /** Model nodes' audio kept on disk between processes. */
  readonly store?: DiskResultStore;
  /** Refuse audio paths outside baseDir, and limit downloads (servers). */
  readonly confinePaths?: boolean;
  readonly fetchTimeoutMs?: number;
  readonly maxDownloadBytes?: number;
  /** LoRA files (absolute paths) a confined runtime may read anyway: those the server was started with. */
  readonly trustedLoraFiles?: readonly string[];
}

/** The services and executor a host (CLI, server, tests) runs workflows with. */
export function createRuntime(options: RuntimeOptions): { services: NodeServices; executor: Executor; readonly close: () => Promise<void> } {
  const engine = options.engine === undefined ? defaultEngine(options) : options.engine;
  const services: NodeServices = {
    engine,
    audio: createAudioIO({
      baseDir: options.baseDir,
      ...(options.uploadDir ? { uploadDir: options.uploadDir } : {}),
      ...(options.confinePaths ? { confinePaths: true } : {}),
      ...(options.fetchTimeoutMs ? { fetchTimeoutMs: options.fetchTimeoutMs } : {}),
      ...(options.maxDownloadBytes ? { maxDownloadBytes: options.maxDownloadBytes } : {}),
    }),
  };
  const executor = new Executor({
    services,
    embedWorkflow,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
  return {
    services,
    executor,
    close: async () => {
      if (engine instanceof Sa3Engine) await engine.close();
    },
  };
}

/** The Stable Audio 3 engine over the installed packs, with LoRA files found by path (from baseDir) or installed name. */
function defaultEngine(options: RuntimeOptions): Sa3Engine {
  const library = new LoraLibrary();
  return new Sa3Engine({
    packs: new PackLocator(),
    loraCacheDir: join(sa3Home(), 'cache', 'lora'),
    loras: {
      resolve: (file) =>
        library
          .resolve(file, { baseDir: options.baseDir, ...(options.confinePaths ? { confine: true, trusted: options.trustedLoraFiles ?? [] } : {}) })
          .catch((error: unknown) => {
            throw error instanceof LoraLibraryError ? new NodeError('lora_not_found', error.message, { param: 'file', kind: 'input' }) : error;
          }),
    },
  });
}
