import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeLeftoversOfDeadProcesses, type LeftoverOptions } from '../files/index.js';
import type { PackHome } from './pack-home.js';
import { lockHolder } from './pack-lock.js';

/** `sa3 models testpack` and `sa3 models convert` assemble packs in staging/.testpack-<pid>-... and .convert-<pid>-... (the converter beside it, in ..convert-<pid>-....converting-XXXXXX). */
const OWNED_BY_PID = /^\.\.?(?:testpack|convert)-(\d+)-/;
/** `sa3 models import` assembles in staging/.import-<id>-<hex>, holding <id>.lock throughout. */
const IMPORT_WORK = /^\.import-(.+)-[0-9a-f]{8}$/;
/** A pull converting a checkpoint writes the pack in staging/<id>/.pack.converting-XXXXXX, holding <id>.lock throughout. */
const PULL_CONVERTING = /^\.pack\.converting-/;

/**
 * Removes what killed pack commands left in SA3_HOME/staging: the folders of testpack and convert
 * whose process is gone, import folders and a pull's half-converted pack whose pack lock no
 * running process holds. A pull's downloads (staging/<id>/) stay: the next pull resumes them.
 * Returns the paths removed.
 */
export async function removeStalePackStaging(home: PackHome, options: LeftoverOptions = {}): Promise<string[]> {
  const removed = await removeLeftoversOfDeadProcesses(home.staging, OWNED_BY_PID, options);
  const entries = await readdir(home.staging, { withFileTypes: true }).catch(() => []);
  const unlocked = async (id: string): Promise<boolean> => (await lockHolder(home.staging, id).catch(() => null)) === null;
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const importing = IMPORT_WORK.exec(entry.name)?.[1];
    if (importing !== undefined) {
      if (await unlocked(importing)) {
        await rm(join(home.staging, entry.name), { recursive: true, force: true });
        removed.push(join(home.staging, entry.name));
      }
      continue;
    }
    if (entry.name.startsWith('.')) continue;
    const converting = (await readdir(join(home.staging, entry.name)).catch(() => [] as string[])).filter((name) => PULL_CONVERTING.test(name));
    if (converting.length === 0 || !(await unlocked(entry.name))) continue;
    for (const name of converting) {
      await rm(join(home.staging, entry.name, name), { recursive: true, force: true });
      removed.push(join(home.staging, entry.name, name));
    }
  }
  return removed;
}
