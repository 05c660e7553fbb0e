import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { removeStaleLeftovers } from '../files/index.js';
import { packHome, removeStalePackStaging, sa3Home } from '../store/index.js';
import { claimCacheAndRemoveLeftovers } from './cache-leftovers.js';
import { cliCacheEnabled } from './result-store.js';

/** The commands that make temp files, staging folders or cache files, and so clean up after killed ones. */
const CLEANING_COMMANDS = new Set(['run', 'generate', 'serve', 'models']);

/**
 * Before a command starts: removes what sa3 processes killed before they could clean up left
 * behind (sa3-audio-* folders in the temp dir, .sa3-staging-* folders in the output folder, pack
 * staging, the cache's .tmp files), never what a running process still uses. This process has
 * made nothing yet, so what carries its own pid is from an earlier process too.
 */
export async function removeLeftoversAtStart(command: string, values: Readonly<Record<string, unknown>>): Promise<void> {
  if (!CLEANING_COMMANDS.has(command)) return;
  const out = typeof values.out === 'string' ? values.out : undefined;
  const outputDirs = command === 'run' ? [resolve(out ?? 'out')] : command === 'generate' ? [dirname(resolve(out ?? 'sa3-output.wav'))] : [];
  try {
    await removeStaleLeftovers({ tempDir: tmpdir(), outputDirs, ownPidIsPast: true });
    await removeStalePackStaging(packHome(sa3Home()), { ownPidIsPast: true });
    if (command !== 'models' && cliCacheEnabled(values['no-cache'] === true)) await claimCacheAndRemoveLeftovers(join(sa3Home(), 'cache'));
  } catch {
    // Cleaning up after others never stops the command itself.
  }
}
