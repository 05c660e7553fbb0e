import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CatalogueEntry } from '../catalogue/index.js';
import { convertCheckpointToPack, ConvertError, precisionNote, type ConvertPrecision } from '../compiler/index.js';
import { PackError } from '../pack-format/index.js';
import { diskFullError, installPackDir, isDiskFull, type PackHome } from '../store/index.js';
import type { PullEvent } from './pull-events.js';
import type { StagingArea } from './staging-area.js';

export interface ConvertPulledOptions {
  readonly entry: CatalogueEntry;
  readonly repo: string;
  readonly home: PackHome;
  /** The staging area whose packDir holds the downloaded, verified checkpoint. */
  readonly staging: StagingArea;
  /** Bytes of the checkpoint, for the events and the disk-full sentence. */
  readonly checkpointBytes: number;
  readonly keepCheckpoint: boolean;
  /** The commit of `repo` the checkpoint was downloaded at. */
  readonly revision: string;
  readonly precision: ConvertPrecision;
  readonly emit: (event: PullEvent) => void;
  readonly signal?: AbortSignal;
  readonly progressIntervalMs?: number;
}

/** SA3_HOME/checkpoints/<id>: where --keep-checkpoint leaves the downloaded checkpoint (for "sa3 models convert" later). */
export function keptCheckpointDir(home: PackHome, id: string): string {
  return join(home.root, 'checkpoints', id);
}

/** What an earlier, killed conversion in this staging area left: the finished pack folder or the converter's own temp folder. */
async function removeLeftovers(stagingDir: string): Promise<void> {
  for (const name of await readdir(stagingDir).catch(() => [] as string[])) {
    if (name === 'pack' || name.startsWith('.pack.converting-')) await rm(join(stagingDir, name), { recursive: true, force: true });
  }
}

/**
 * The conversion step of pulling a convertible pack: the checkpoint in staging -> a pack
 * (convertCheckpointToPack, which checks each graph) -> installed in SA3_HOME/packs/<id>; then
 * the checkpoint is deleted, or with keepCheckpoint moved to SA3_HOME/checkpoints/<id>. A failed
 * conversion keeps the download, so the next pull converts again without downloading.
 */
export async function convertPulledCheckpoint(options: ConvertPulledOptions): Promise<{ dir: string; checkpointDir?: string }> {
  const { entry, repo, home, staging, emit } = options;
  const packDir = join(staging.dir, 'pack');
  await removeLeftovers(staging.dir);
  emit({ type: 'converting', id: entry.id, checkpointDir: staging.packDir });
  const interval = options.progressIntervalMs ?? 100;
  let lastPart = '';
  let lastEmit = 0;
  try {
    await convertCheckpointToPack(staging.packDir, packDir, {
      id: entry.id,
      title: entry.title,
      precision: options.precision,
      source: {
        repo,
        revision: options.revision,
        commits: { [repo]: options.revision },
        licence: entry.licence,
        note: `Converted to ${precisionNote(options.precision)} ONNX on this machine from the safetensors checkpoint of ${repo}.`,
      },
      onProgress: (part, done, total) => {
        // Conversion has no signal of its own: stopping here makes the converter clean up its folder.
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
        const now = Date.now();
        if (part === lastPart && done < total && now - lastEmit < interval) return;
        lastPart = part;
        lastEmit = now;
        emit({ type: 'convert-progress', part, done, total });
      },
    });
  } catch (error) {
    if (error instanceof ConvertError) {
      throw new PackError(
        'convert_failed',
        `the checkpoint of ${entry.id} downloaded from ${repo} could not be converted (${error.message}); the download is kept in ${staging.dir}, and pulling again converts it without downloading`,
      );
    }
    if (isDiskFull(error)) throw diskFullError(home.root, options.checkpointBytes);
    throw error;
  }
  const dir = await installPackDir(home, packDir, entry.id);
  if (!options.keepCheckpoint) {
    await rm(staging.packDir, { recursive: true, force: true });
    emit({ type: 'checkpoint-removed', bytes: options.checkpointBytes });
    return { dir };
  }
  const kept = keptCheckpointDir(home, entry.id);
  await rm(kept, { recursive: true, force: true });
  await mkdir(dirname(kept), { recursive: true });
  await rename(staging.packDir, kept);
  emit({ type: 'checkpoint-kept', dir: kept, bytes: options.checkpointBytes });
  return { dir, checkpointDir: kept };
}
