import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** ../shared beside the repository: the reference files every test that needs them reads. */
export const sharedDir = fileURLToPath(new URL('../../../../shared/', import.meta.url));

/** The parsed file, or null when it is absent (and CI does not require it). */
export function readSharedJson(relativePath: string): unknown {
  const path = join(sharedDir, relativePath);
  if (!existsSync(path)) {
    if (process.env.SA3_REQUIRE_SHARED === '1') throw new Error(`${path} is missing; CI runs with ../shared beside the repository`);
    console.warn(`skipping: ${path} is absent (clone the project with ../shared beside it to run this check)`);
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}
