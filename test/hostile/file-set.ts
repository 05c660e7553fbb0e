import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every entry under `root` as a sorted list of relative paths (folders end in '/', symlinks in '@'),
 * so a test can assert the exact set of files before and after a bad input.
 */
export function fileSet(root: string): string[] {
  const entries: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const name of readdirSync(join(root, relative))) {
      const path = relative === '' ? name : `${relative}/${name}`;
      const stat = lstatSync(join(root, path));
      if (stat.isSymbolicLink()) entries.push(`${path}@`);
      else if (stat.isDirectory()) {
        entries.push(`${path}/`);
        pending.push(path);
      } else entries.push(path);
    }
  }
  return entries.sort();
}
