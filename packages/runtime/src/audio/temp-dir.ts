import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const TEMP_PREFIX = 'sa3-audio-';

/** Runs `use` with a fresh private directory under `parent` and always removes it afterwards. */
export async function withTempDir<T>(parent: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent, TEMP_PREFIX));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
