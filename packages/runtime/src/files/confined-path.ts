import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * Where `path` (relative to `root`, or absolute) really is, following every symlink, or null when
 * that place is outside `root`. The path need not exist yet: the part that does is resolved
 * through the file system and the rest is appended, so a file about to be written is checked
 * against the folder it will really land in.
 */
export async function confinedPath(root: string, path: string): Promise<string | null> {
  const realRoot = await realpath(root);
  const wanted = resolve(realRoot, path);
  if (!isWithin(realRoot, wanted)) return null;
  const real = await realExistingPrefix(wanted);
  return isWithin(realRoot, real) ? real : null;
}

/** True when `path` is `root` itself or below it (both absolute and resolved). */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function realExistingPrefix(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(basename(current));
      current = dirname(current);
    }
  }
}
