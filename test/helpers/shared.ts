import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** A file of ../shared, or null (with a note) where it is absent; CI (SA3_REQUIRE_SHARED=1) fails instead. */
export function readSharedJson(relativePath: string): unknown {
  const path = join(sharedDir, relativePath);
  if (!existsSync(path)) {
    if (process.env.SA3_REQUIRE_SHARED === '1') throw new Error(`${path} is missing; CI runs with ../shared beside the repository`);
    console.warn(`skipping the comparison with ${path}: it is absent`);
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}
