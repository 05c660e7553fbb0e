import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
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

/**
 * What a file looked like when its sha256 last matched. Size and mtime alone are not trusted:
 * `touch -d` or utimes() puts an edited file's mtime back, but not its ctime, which the kernel
 * sets on every write, chmod or rename and no call can set; a file put in place of another has
 * another inode. So a file is hashed again when any of size, mtime, ctime, inode or device
 * differs (nanoseconds, as the file system keeps them). What this cannot see is a change made
 * beneath the file system (a failing disk, a raw device write): `sa3 models verify` re-hashes
 * every file whatever the stamp says.
 */
interface StampEntry {
  readonly bytes: number;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly ino: string;
  readonly dev: string;
  readonly sha256: string;
}

type Stamp = Record<string, StampEntry>;

function stampOf(info: BigIntStats, sha256: string): StampEntry {
  return { bytes: Number(info.size), mtimeNs: String(info.mtimeNs), ctimeNs: String(info.ctimeNs), ino: String(info.ino), dev: String(info.dev), sha256 };
}

function sameStamp(a: StampEntry | undefined, b: StampEntry): boolean {
  return (
    a !== undefined && a.bytes === b.bytes && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.ino === b.ino && a.dev === b.dev && a.sha256 === b.sha256
  );
}

async function readStamp(dir: string): Promise<Stamp> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, STAMP), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Stamp) : {};
  } catch {
    return {};
  }
}

/** The file's metadata, once it is known to be a regular file; otherwise a PackError naming the pack and the file. */
async function statPackFile(dir: string, manifest: PackManifest, file: PackManifest['files'][number]): Promise<BigIntStats> {
  const path = join(dir, file.path);
  const damaged = `the pack ${manifest.id} in ${dir} is damaged: ${path}`;
  const again = 'pull or import the pack again';
  let info: BigIntStats;
  try {
    info = await stat(path, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PackError('file_missing', `the pack ${manifest.id} in ${dir} is missing ${file.path}; ${again}`, file.path);
    throw new PackError('file_corrupt', `${damaged} cannot be read (${code ?? (error as Error).message}); ${again}`, file.path);
  }
  if (!info.isFile())
    throw new PackError('file_corrupt', `${damaged} is ${info.isDirectory() ? 'a directory' : 'a special file'}, not a file; ${again}`, file.path);
  return info;
}

/**
 * Checks every file of a pack against its sha256. A file whose stamp (size, mtime, ctime, inode,
 * device) is unchanged since it last passed is not hashed again; the stamp lives in the pack
 * folder. A file that changes while it is hashed is checked but not stamped, so it is hashed again
 * next time.
 */
export async function verifyPackFiles(dir: string, manifest: PackManifest, options: { force?: boolean } = {}): Promise<void> {
  const stamp = options.force ? {} : await readStamp(dir);
  const next: Stamp = {};
  for (const file of manifest.files) {
    const before = stampOf(await statPackFile(dir, manifest, file), file.sha256);
    if (sameStamp(stamp[file.path], before)) {
      next[file.path] = before;
      continue;
    }
    const path = join(dir, file.path);
    const actual = await sha256File(path);
    if (actual !== file.sha256) {
      throw new PackError(
        'file_corrupt',
        `the pack ${manifest.id} in ${dir} is damaged: ${path} is corrupted (its sha256 is ${actual.slice(0, 12)}... but the pack says ${file.sha256.slice(0, 12)}...); pull or import the pack again`,
        file.path,
      );
    }
    const after = stampOf(await stat(path, { bigint: true }), file.sha256);
    if (sameStamp(before, after)) next[file.path] = after;
  }
  await writeFileAtomic(join(dir, STAMP), JSON.stringify(next, null, 2) + '\n').catch(() => undefined);
}

/** What a file looked like when the caller hashed it, for writeVerifiedStamp. */
export type FileStamp = StampEntry;

/**
 * The sha256 of a file, with its stamp when the file did not change while it was hashed (size,
 * mtime, ctime, inode and device the same before and after), for a caller that records the hash.
 */
export async function sha256WithStamp(path: string): Promise<{ sha256: string; bytes: number; stamp: FileStamp | undefined }> {
  const before = await stat(path, { bigint: true });
  const sha256 = await sha256File(path);
  const after = stampOf(await stat(path, { bigint: true }), sha256);
  return { sha256, bytes: after.bytes, stamp: sameStamp(stampOf(before, sha256), after) ? after : undefined };
}

/**
 * Writes the stamp of a pack whose files the caller hashed itself with sha256WithStamp (a
 * conversion), so the first verification hashes none of them again. A file left out is hashed
 * at the next verification.
 */
export async function writeVerifiedStamp(dir: string, stamps: Readonly<Record<string, FileStamp>>): Promise<void> {
  await writeFileAtomic(join(dir, STAMP), JSON.stringify(stamps, null, 2) + '\n');
}

/**
 * Records every file of a pack as verified without hashing it again, for a caller that has just
 * checked each sha256 itself (a pull or an import), so the first generate does not re-hash gigabytes.
 */
export async function stampVerified(dir: string, manifest: PackManifest): Promise<void> {
  const stamp: Stamp = {};
  for (const file of manifest.files) stamp[file.path] = stampOf(await stat(join(dir, file.path), { bigint: true }), file.sha256);
  await writeFileAtomic(join(dir, STAMP), JSON.stringify(stamp, null, 2) + '\n');
}
