import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import { assembleManifest, type PlacedFile } from './assemble-manifest.js';
import { CATALOGUE, type CatalogueEntry } from '../catalogue/index.js';
import { diskFullError, isDiskFull } from './disk-space.js';
import { installPackDir } from './install-pack-dir.js';
import { loadManifest, PACK_MANIFEST, type PackManifest, PackError } from '../pack-format/index.js';
import { matchPublishedLayout } from './locate-published-files.js';
import { packHome, type PackHome } from './pack-home.js';
import { acquirePackLock } from './pack-lock.js';
import { sa3Home } from './pack-locator.js';
import { sha256File, stampVerified, verifyPackFiles } from './verify-files.js';

export interface ImportOptions {
  /** SA3_HOME; default from the environment. */
  readonly home?: string;
  readonly catalogue?: readonly CatalogueEntry[];
  /** Which catalogue pack a published layout is, when the folder could be several. */
  readonly id?: string;
  /** Move the files instead of copying them. */
  readonly move?: boolean;
}

export interface ImportResult {
  readonly id: string;
  readonly dir: string;
  /** "pack": the folder was an sa3 pack; "published": raw published files matched to a catalogue entry. */
  readonly kind: 'pack' | 'published';
}

async function transfer(from: string, to: string, move: boolean, home: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    if (move) {
      try {
        await rename(from, to);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      }
      await copyFile(from, to);
      await unlink(from);
    } else {
      await copyFile(from, to);
    }
  } catch (error) {
    if (isDiskFull(error)) throw diskFullError(home, (await stat(from)).size);
    throw error;
  }
}

async function refuseInstalled(home: PackHome, id: string): Promise<void> {
  const target = join(home.packs, id);
  if (await stat(join(target, PACK_MANIFEST)).catch(() => null)) {
    throw new PackError('pack_exists', `a pack "${id}" is already installed in ${target}; remove it first with "sa3 models remove ${id}"`);
  }
}

async function importSa3Pack(source: string, manifest: PackManifest, work: string, move: boolean, home: string): Promise<void> {
  // Moving takes the files away from the source, so they are checked there first; copies are checked where they land.
  if (move) await verifyPackFiles(source, manifest, { force: true });
  for (const file of manifest.files) {
    await transfer(join(source, file.path), join(work, file.path), move, home);
    if (move) continue;
    const actual = await sha256File(join(work, file.path));
    if (actual !== file.sha256)
      throw new PackError(
        'file_corrupt',
        `${join(source, file.path)} is corrupted: its sha256 is ${actual.slice(0, 12)}... but the pack says ${file.sha256.slice(0, 12)}...; nothing was imported`,
        file.path,
      );
  }
  await writeFileAtomic(join(work, PACK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * `sa3 models import DIR`: installs a folder downloaded by hand, either an sa3 pack (checked
 * against its sha256 list) or the files of a published repo layout (matched to a catalogue
 * entry by their paths, graphs checked against the catalogue's I/O). Assembled in staging and
 * renamed into SA3_HOME/packs like a pull.
 */
export async function importPack(dir: string, options: ImportOptions = {}): Promise<ImportResult> {
  const source = resolve(dir);
  if (!(await stat(source).catch(() => null))?.isDirectory()) throw new PackError('pack_not_found', `${source} is not a folder`);
  const home = packHome(options.home ?? sa3Home());
  const move = options.move === true;
  const isPack = (await stat(join(source, PACK_MANIFEST)).catch(() => null)) !== null;
  const manifest = isPack ? await loadManifest(source) : null;
  const match = manifest ? null : await matchPublishedLayout(source, options.catalogue ?? CATALOGUE, options.id);
  const id = manifest?.id ?? match!.entry.id;
  if (manifest && options.id !== undefined && options.id !== manifest.id) {
    throw new PackError('import_unmatched', `${source} is the sa3 pack "${manifest.id}"; --id only picks the catalogue pack for published files`);
  }

  await refuseInstalled(home, id);
  const lock = await acquirePackLock(home.staging, id);
  const work = join(home.staging, `.import-${id}-${randomBytes(4).toString('hex')}`);
  try {
    await refuseInstalled(home, id);
    if (manifest) {
      await importSa3Pack(source, manifest, work, move, home.root);
    } else {
      const placed: PlacedFile[] = [];
      for (const [path, { packPath, role }] of match!.files) {
        const to = join(work, packPath);
        await transfer(join(source, path), to, move, home.root);
        placed.push({ path: packPath, role, bytes: (await stat(to)).size, sha256: await sha256File(to) });
      }
      const ditRepo = match!.entry.files.find((f) => f.role === 'dit')?.repo;
      const assembled = await assembleManifest(match!.entry, work, placed, { ...(ditRepo ? { repo: ditRepo } : {}), revision: `imported from ${source}` });
      await writeFileAtomic(join(work, PACK_MANIFEST), `${JSON.stringify(assembled, null, 2)}\n`);
    }
    await stampVerified(work, await loadManifest(work));
    const installed = await installPackDir(home, work, id);
    return { id, dir: installed, kind: manifest ? 'pack' : 'published' };
  } finally {
    await rm(work, { recursive: true, force: true });
    await lock.release();
  }
}
