import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import type { PlannedFile } from './plan-download.js';

/** Files already verified and moved into the staging pack, by pack path. */
type DoneRecord = Record<string, { readonly expected: string; readonly sha256: string }>;

function expectedHash(file: PlannedFile): string {
  return file.sha256 ?? file.gitOid;
}

async function sizeOf(path: string): Promise<number | null> {
  return (await stat(path).catch(() => null))?.size ?? null;
}

/**
 * SA3_HOME/staging/<id>/ of a pull: pack/ is the pack being assembled (checkpoint/ the
 * checkpoint being downloaded, for a pack converted on this machine), partial/ the downloads
 * in progress (named by the hash they must reach, so a file changed upstream starts afresh),
 * done.json the files finished and verified. What an interrupted pull leaves here, the next
 * one resumes.
 */
export class StagingArea {
  /** Where the verified files are placed: pack/ or checkpoint/. */
  readonly packDir: string;
  private constructor(
    readonly dir: string,
    private readonly done: DoneRecord,
    folder: 'pack' | 'checkpoint',
  ) {
    this.packDir = join(dir, folder);
  }

  static async open(dir: string, folder: 'pack' | 'checkpoint' = 'pack'): Promise<StagingArea> {
    const done = await readFile(join(dir, 'done.json'), 'utf8').then(
      (t) => JSON.parse(t) as DoneRecord,
      () => ({}),
    );
    return new StagingArea(dir, done, folder);
  }

  finalPath(file: PlannedFile): string {
    return join(this.packDir, file.packPath);
  }

  partialPath(file: PlannedFile): string {
    return join(this.dir, 'partial', `${file.packPath}.${expectedHash(file).slice(0, 12) || 'nohash'}.partial`);
  }

  /** The sha256 of the file if an earlier pull finished it (same upstream hash, same size), else null. */
  async finished(file: PlannedFile): Promise<string | null> {
    const record = this.done[file.packPath];
    if (record?.expected !== expectedHash(file)) return null;
    return (await sizeOf(this.finalPath(file))) === file.bytes ? record.sha256 : null;
  }

  /** Bytes of the file already here: all of it when finished, else what its partial download holds. */
  async bytesOnDisk(file: PlannedFile): Promise<number> {
    if (await this.finished(file)) return file.bytes;
    return Math.min((await sizeOf(this.partialPath(file))) ?? 0, file.bytes);
  }

  async markFinished(file: PlannedFile, sha256: string): Promise<void> {
    this.done[file.packPath] = { expected: expectedHash(file), sha256 };
    await writeFileAtomic(join(this.dir, 'done.json'), JSON.stringify(this.done, null, 2));
  }
}
