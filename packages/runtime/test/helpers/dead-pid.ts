import { spawnSync } from 'node:child_process';

/** The pid of a process that has already ended, for leftovers whose owner is gone. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid;
}
