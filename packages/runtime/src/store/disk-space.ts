import { statfs } from 'node:fs/promises';
import { PackError } from '../pack-format/index.js';
import { formatGigabytes } from '../files/index.js';

/** Bytes free for this user on the disk holding `path`, or null when the system cannot say. */
export async function freeBytes(path: string): Promise<number | null> {
  try {
    const info = await statfs(path);
    return Number(info.bavail) * Number(info.bsize);
  } catch {
    return null;
  }
}

export function diskFullError(home: string, bytes: number): PackError {
  return new PackError(
    'disk_full',
    `not enough disk space in SA3_HOME (${home}) for ${formatGigabytes(bytes)} GB; free some space or set SA3_HOME to a folder on a bigger disk`,
  );
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}
