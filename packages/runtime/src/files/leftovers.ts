import { rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Temp files and folders carry the pid of the process that made them (`<prefix><pid>-...`), so
 * a later process can tell what a killed one left behind from what a running one is using.
 */

/** Whether a process with this id runs on this machine (one of another user counts as running). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `<prefix><this pid>-`: the start of the name of a temp file or folder this process makes. */
export function ownedPrefix(prefix: string): string {
  return `${prefix}${process.pid}-`;
}

/** The entries of `dir` whose name matches `pattern` (group 1: the owner's pid). */
async function ownedEntries(dir: string, pattern: RegExp): Promise<{ path: string; pid: number }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((name) => {
    const pid = Number(pattern.exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 ? [{ path: join(dir, name), pid }] : [];
  });
}

export interface LeftoverOptions {
  /**
   * This process has made nothing yet, so entries under its own pid come from an earlier process
   * that had the same pid (a restarted container's pid 1); without it they are taken for its own.
   */
  readonly ownPidIsPast?: boolean;
}

/**
 * Removes what processes no longer running left in `dir`: the entries matching `pattern`
 * (group 1: the owner's pid) whose owner is gone. Those of this process and of any running
 * one stay. Returns the paths removed.
 */
export async function removeLeftoversOfDeadProcesses(dir: string, pattern: RegExp, options: LeftoverOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  for (const { path, pid } of await ownedEntries(dir, pattern)) {
    if (pid === process.pid ? !options.ownPidIsPast : processAlive(pid)) continue;
    await rm(path, { recursive: true, force: true }).then(
      () => removed.push(path),
      () => undefined,
    );
  }
  return removed;
}

/** The temp files and folders this process is using right now, for removal when it has to stop at once. */
const held = new Set<string>();

export function holdTempPath(path: string): void {
  held.add(path);
}

export function releaseTempPath(path: string): void {
  held.delete(path);
}

/** Removes every temp path still held (synchronously: for the last moments before the process exits). */
export function removeHeldTempPathsSync(): string[] {
  const removed = [...held];
  for (const path of removed) {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      /* already going or gone; nothing more can be done while exiting */
    }
    held.delete(path);
  }
  return removed;
}
