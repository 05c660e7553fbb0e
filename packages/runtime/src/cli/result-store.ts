import { join } from 'node:path';
import { DiskResultStore } from '../executor/disk-result-store.js';
import { sa3Home } from '../packs/pack-locator.js';
import { runtimeVersion } from './runtime-version.js';

const DEFAULT_MAX_MB = 4096;

/**
 * The CLI's cache of model nodes' audio: SA3_HOME/cache/results/<runtime version>/, at most
 * SA3_CACHE_MAX_MB (4096) megabytes; none with --no-cache or SA3_CACHE=off. A new runtime
 * version starts an empty folder, so audio from older engine code is never reused.
 */
export function cliResultStore(noCache: boolean): DiskResultStore | undefined {
  if (noCache || process.env.SA3_CACHE === 'off') return undefined;
  const maxMb = Number(process.env.SA3_CACHE_MAX_MB ?? DEFAULT_MAX_MB);
  const budget = Number.isFinite(maxMb) && maxMb >= 0 ? maxMb * 1024 * 1024 : DEFAULT_MAX_MB * 1024 * 1024;
  return new DiskResultStore(join(sa3Home(), 'cache', 'results', runtimeVersion()), budget);
}
