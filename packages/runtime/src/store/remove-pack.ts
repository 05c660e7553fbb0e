import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PackError, packIdProblem } from '../pack-format/index.js';
import { packHome } from './pack-home.js';
import { lockHolder } from './pack-lock.js';
import { defaultPackRoots, PackLocator, sa3Home } from './pack-locator.js';

export interface RemoveResult {
  /** The pack folder removed, if one was installed. */
  readonly dir: string | null;
  /** Whether partial downloads of an unfinished pull were removed too. */
  readonly partial: boolean;
}

/** `sa3 models remove ID`: deletes an installed pack from SA3_HOME/packs, and any unfinished pull of it. */
export async function removePack(id: string, options: { home?: string } = {}): Promise<RemoveResult> {
  const problem = packIdProblem(id);
  if (problem) throw new PackError('invalid_pack_id', `${problem}; nothing was removed`);
  const home = packHome(options.home ?? sa3Home());
  const holder = await lockHolder(home.staging, id);
  if (holder) throw new PackError('not_removable', `a pull or import of ${id} is running (pid ${holder.pid}); wait for it to finish or stop it first`);

  let dir: string | null = join(home.packs, id);
  if (!(await stat(dir).catch(() => null))?.isDirectory()) {
    dir = await new PackLocator([home.packs]).resolve(id).then(
      (p) => p.dir,
      () => null,
    );
  }
  const work = join(home.staging, id);
  const partial = (await stat(work).catch(() => null)) !== null;
  if (!dir && !partial) {
    const elsewhere = await new PackLocator(defaultPackRoots().filter((root) => root !== home.packs)).resolve(id).then(
      (p) => p.dir,
      () => null,
    );
    if (elsewhere)
      throw new PackError('not_removable', `the pack ${id} is in ${elsewhere}, outside SA3_HOME (it is found through SA3_PACKS); delete that folder by hand`);
    throw new PackError('model_not_installed', `the pack "${id}" is not installed in ${home.packs}`);
  }
  if (dir) {
    // Renamed away first, so the pack disappears at once even if deleting its files takes a while.
    await mkdir(home.staging, { recursive: true });
    const trash = join(home.staging, `.removed-${id}-${randomBytes(4).toString('hex')}`);
    await rename(dir, trash);
    await rm(trash, { recursive: true, force: true });
  }
  if (partial) await rm(work, { recursive: true, force: true });
  return { dir, partial };
}
