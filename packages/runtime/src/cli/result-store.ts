import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { codeFingerprint } from './code-fingerprint.js';
import { DiskResultStore } from '../executor/index.js';
import { sa3Home } from '../store/index.js';
import { runtimeVersion } from './runtime-version.js';

const DEFAULT_MAX_MB = 4096;

/** Whether this command uses the disk cache: not with --no-cache or SA3_CACHE=off. */
export function cliCacheEnabled(noCache: boolean): boolean {
  return !noCache && process.env.SA3_CACHE !== 'off';
}

/**
 * The cache of model nodes' audio for `sa3 run`, `generate` and `serve`:
 * SA3_HOME/cache/results/<runtime version>-<code fingerprint>/, at most SA3_CACHE_MAX_MB (4096)
 * megabytes; none with --no-cache or SA3_CACHE=off. Other code starts an empty folder, and the
 * folders of code no longer run are deleted.
 */
export function cliResultStore(noCache: boolean): DiskResultStore | undefined {
  if (!cliCacheEnabled(noCache)) return undefined;
  const maxMb = Number(process.env.SA3_CACHE_MAX_MB ?? DEFAULT_MAX_MB);
  const budget = Number.isFinite(maxMb) && maxMb >= 0 ? maxMb * 1024 * 1024 : DEFAULT_MAX_MB * 1024 * 1024;
  // Fingerprinting reads the built code (~30 ms): only when a model node first needs the cache.
  return new DiskResultStore(async () => {
    const root = join(sa3Home(), 'cache', 'results');
    const current = `${runtimeVersion()}-${codeFingerprint()}`;
    for (const old of await readdir(root).catch(() => [] as string[])) {
      if (old !== current) await rm(join(root, old), { recursive: true, force: true });
    }
    return join(root, current);
  }, budget);
}
