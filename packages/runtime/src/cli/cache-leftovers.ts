import { mkdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../files/index.js';

/**
 * The result cache's files are written as .tmp files and renamed, and their names do not say
 * which process writes them. So each sa3 process that may write the cache marks itself in
 * <cache>/.users/<pid> while it runs: .tmp files are only removed when no other running process
 * is marked, so a write in progress is never cut off.
 */
const USERS = '.users';

async function tempFilesUnder(dir: string, depth: number): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== USERS && depth > 0) found.push(...(await tempFilesUnder(path, depth - 1)));
    else if (entry.isFile() && entry.name.endsWith('.tmp')) found.push(path);
  }
  return found;
}

/**
 * Marks this process as a user of the cache under `cacheRoot` (until it exits), forgets users
 * that are gone, and when no other running process uses the cache removes the .tmp files killed
 * processes left. Returns the paths removed.
 */
export async function claimCacheAndRemoveLeftovers(cacheRoot: string): Promise<string[]> {
  const users = join(cacheRoot, USERS);
  const mine = join(users, String(process.pid));
  try {
    mkdirSync(users, { recursive: true });
    writeFileSync(mine, '');
  } catch {
    return []; // a cache that cannot be written to is not written to by this process either
  }
  process.once('exit', () => {
    rmSync(mine, { force: true });
    // The folder goes with the last user, so a cache nobody runs against holds only cache files.
    try {
      rmdirSync(users);
    } catch {
      // Another process still uses the cache.
    }
  });
  let othersRunning = false;
  for (const name of await readdir(users).catch(() => [] as string[])) {
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (processAlive(pid)) othersRunning = true;
    else await rm(join(users, name), { force: true });
  }
  if (othersRunning) return [];
  const removed: string[] = [];
  for (const path of await tempFilesUnder(cacheRoot, 3)) {
    await rm(path, { force: true }).then(
      () => removed.push(path),
      () => undefined,
    );
  }
  return removed;
}
