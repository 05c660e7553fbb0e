import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A short hash of the built code that decides what a model node returns: the node catalogue
 * (@sa3/nodes) and this runtime's engine, model-file and pack-format code. Cached results are kept per
 * fingerprint, so audio made by other code is never reused, even at the same version number.
 */
export function codeFingerprint(): string {
  const nodesDir = dirname(fileURLToPath(import.meta.resolve('@sa3/nodes')));
  const runtimeDir = fileURLToPath(new URL('../', import.meta.url));
  const hash = createHash('sha256');
  for (const dir of [nodesDir, join(runtimeDir, 'engine'), join(runtimeDir, 'model-files'), join(runtimeDir, 'pack-format')]) {
    const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).sort();
    for (const file of files)
      hash
        .update(file)
        .update('\0')
        .update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}
