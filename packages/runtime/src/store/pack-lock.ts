import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly token?: string;
}

export interface PackLock {
  release(): Promise<void>;
}

/** A lock file being written right now is empty for a moment; one that stays unreadable this long is abandoned. */
const UNREADABLE_STALE_MS = 30_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readHolder(path: string): Promise<LockHolder | null> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as LockHolder;
    return Number.isInteger(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/** A lock left by a process of this machine that no longer runs (a lock from another machine is never judged stale). */
async function isStale(path: string, holder: LockHolder | null): Promise<boolean> {
  if (holder) return holder.host === hostname() && !pidAlive(holder.pid);
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > UNREADABLE_STALE_MS;
}

export function lockPath(stagingDir: string, id: string): string {
  return join(stagingDir, `${id}.lock`);
}

/** The live holder of a pack's lock, if any. */
export async function lockHolder(stagingDir: string, id: string): Promise<LockHolder | null> {
  const path = lockPath(stagingDir, id);
  const holder = await readHolder(path);
  return holder && !(await isStale(path, holder)) ? holder : null;
}

/**
 * Takes `<staging>/<id>.lock` (created exclusively, holding the pid), waiting while another
 * live process (or another pull in this one) holds it. A stale lock is removed and taken over.
 */
export async function acquirePackLock(
  stagingDir: string,
  id: string,
  options: { onWait?: (holder: LockHolder | null) => void; pollMs?: number; signal?: AbortSignal } = {},
): Promise<PackLock> {
  const path = lockPath(stagingDir, id);
  await mkdir(stagingDir, { recursive: true });
  const token = randomBytes(8).toString('hex');
  let waited = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), token } satisfies LockHolder));
      } finally {
        await handle.close();
      }
      return {
        release: async () => {
          if ((await readHolder(path))?.token === token) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (await isStale(path, holder)) {
      await rm(path, { force: true });
      continue;
    }
    if (!waited) options.onWait?.(holder);
    waited = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}
