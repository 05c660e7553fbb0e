import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AUDIO_TEMP_PREFIX, holdTempPath, ownedPrefix, releaseTempPath } from '../files/index.js';

/**
 * Runs `use` with a fresh private directory under `parent` and always removes it afterwards.
 * Its name carries this process's pid (sa3-audio-<pid>-XXXXXX), so what a killed process left
 * is recognised and removed by the next one.
 */
export async function withTempDir<T>(parent: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent, ownedPrefix(AUDIO_TEMP_PREFIX)));
  holdTempPath(dir);
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
    releaseTempPath(dir);
  }
}
