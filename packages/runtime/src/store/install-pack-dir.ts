import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PackError, packIdProblem } from '../pack-format/index.js';
import type { PackHome } from './pack-home.js';

/**
 * Renames a finished pack folder (manifest included) from staging into packs/<id>, replacing a
 * pack already there. Both live under SA3_HOME, so each rename is atomic: readers see the old
 * pack or the new one, never half of one.
 */
export async function installPackDir(home: PackHome, source: string, id: string): Promise<string> {
  const problem = packIdProblem(id);
  if (problem) throw new PackError('invalid_pack_id', problem);
  await mkdir(home.packs, { recursive: true });
  const target = join(home.packs, id);
  const replaced = join(home.staging, `.replaced-${id}-${randomBytes(4).toString('hex')}`);
  const hadOld = await rename(target, replaced).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  try {
    await rename(source, target);
  } catch (error) {
    if (hadOld) await rename(replaced, target).catch(() => undefined);
    throw error;
  }
  if (hadOld) await rm(replaced, { recursive: true, force: true });
  return target;
}
