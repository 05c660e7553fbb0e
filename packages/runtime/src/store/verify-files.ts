import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import { type PackManifest, PackError } from '../pack-format/index.js';

const STAMP = '.sa3-verified.json';

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

type Stamp = Record<string, { bytes: number; mtimeMs: number; sha256: string }>;

/**
 * Checks every file of a pack against its sha256. A file whose size and modification time are
 * unchanged since it last passed is not hashed again (the stamp lives in the pack folder).
 */
export async function verifyPackFiles(dir: string, manifest: PackManifest, options: { force?: boolean } = {}): Promise<void> {
  let stamp: Stamp = {};
  if (!options.force)
    stamp = await readFile(join(dir, STAMP), 'utf8')
      .then((t) => JSON.parse(t) as Stamp)
      .catch(() => ({}));
  const next: Stamp = {};
  for (const file of manifest.files) {
    const path = join(dir, file.path);
    const info = await stat(path);
    const known = stamp[file.path];
    if (known && known.bytes === info.size && known.mtimeMs === info.mtimeMs && known.sha256 === file.sha256) {
      next[file.path] = known;
      continue;
    }
    const actual = await sha256File(path);
    if (actual !== file.sha256) {
      throw new PackError(
        'file_corrupt',
        `${path} is corrupted: its sha256 is ${actual.slice(0, 12)}... but the pack says ${file.sha256.slice(0, 12)}...; pull the pack again`,
        file.path,
      );
    }
    next[file.path] = { bytes: info.size, mtimeMs: info.mtimeMs, sha256: actual };
  }
  await writeFileAtomic(join(dir, STAMP), JSON.stringify(next, null, 2) + '\n').catch(() => undefined);
}

/**
 * Records every file of a pack as verified without hashing it again, for a caller that has just
 * checked each sha256 itself (a pull or an import), so the first generate does not re-hash gigabytes.
 */
export async function stampVerified(dir: string, manifest: PackManifest): Promise<void> {
  const stamp: Stamp = {};
  for (const file of manifest.files) {
    const info = await stat(join(dir, file.path));
    stamp[file.path] = { bytes: info.size, mtimeMs: info.mtimeMs, sha256: file.sha256 };
  }
  await writeFileAtomic(join(dir, STAMP), JSON.stringify(stamp, null, 2) + '\n');
}
