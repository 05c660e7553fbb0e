import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { catalogueEntry, entrySourceRepo, type CatalogueEntry } from '../catalogue/index.js';
import type { ConvertPrecision } from '../compiler/index.js';
import { writeFileAtomic } from '../files/index.js';
import { loadManifest, PACK_MANIFEST, PackError } from '../pack-format/index.js';
import {
  acquirePackLock,
  assembleManifest,
  diskFullError,
  freeBytes,
  installPackDir,
  packHome,
  sa3Home,
  stampVerified,
  type PackHome,
  type PlacedFile,
} from '../store/index.js';
import { convertPulledCheckpoint } from './convert-pulled-checkpoint.js';
import { downloadFile } from './download-file.js';
import { HubClient, type HubSettings } from './hub-client.js';
import { planDownload, type PlannedFile } from './plan-download.js';
import type { PullEvent } from './pull-events.js';
import { StagingArea } from './staging-area.js';

export interface PullOptions extends HubSettings {
  /** SA3_HOME; default from the environment. */
  readonly home?: string;
  readonly catalogue?: readonly CatalogueEntry[];
  readonly onEvent?: (event: PullEvent) => void;
  readonly signal?: AbortSignal;
  /** Free bytes on the disk of SA3_HOME (default: statfs); null when unknown. */
  readonly freeBytes?: (path: string) => Promise<number | null>;
  /** Connections per file that may break off before the pull gives up. */
  readonly maxAttempts?: number;
  /** Least time between two progress events of one file (or one conversion part). */
  readonly progressIntervalMs?: number;
  /**
   * Packs converted from a checkpoint: keep the downloaded checkpoint in SA3_HOME/checkpoints/ID
   * instead of deleting it once the pack is installed.
   */
  readonly keepCheckpoint?: boolean;
  /** Packs converted from a checkpoint: the precision to convert to (default fp32). */
  readonly precision?: ConvertPrecision;
}

export interface PullResult {
  readonly id: string;
  readonly dir: string;
  readonly status: 'installed' | 'already-installed';
  readonly downloadedBytes: number;
  /** Where the checkpoint was kept (keepCheckpoint), for packs converted from one. */
  readonly checkpointDir?: string;
}

/**
 * Whether this catalogue pack is installed at `dir`. A pack of the same id from elsewhere (a
 * test pack, a hand-made one) is refused rather than replaced; a broken one is replaced.
 */
async function isInstalled(dir: string, entry: CatalogueEntry, precision: ConvertPrecision | undefined): Promise<boolean> {
  const manifest = await loadManifest(dir).catch(() => null);
  if (!manifest) return false;
  const repo = entrySourceRepo(entry);
  const installedPrecision = manifest.precision ?? 'fp32';
  if (manifest.id === entry.id && manifest.source?.repo === repo && precision !== undefined && precision !== installedPrecision) {
    throw new PackError(
      'pack_exists',
      `${entry.id} is installed in ${dir} converted to ${installedPrecision}; remove it first with "sa3 models remove ${entry.id}" to pull it as ${precision}, or keep both by converting the checkpoint with "sa3 models convert DIR --precision ${precision} --out ${entry.id}-${precision}"`,
    );
  }
  if (manifest.id === entry.id && manifest.source?.repo === repo) return true;
  throw new PackError(
    'pack_exists',
    `another pack called "${entry.id}" (not the one from ${repo}) is installed in ${dir}; remove it first with "sa3 models remove ${entry.id}"`,
  );
}

interface Download {
  readonly client: HubClient;
  readonly entry: CatalogueEntry;
  readonly home: PackHome;
  readonly staging: StagingArea;
  readonly options: PullOptions;
  readonly emit: (event: PullEvent) => void;
}

/** One file into the staging pack, with progress events; returns its sha256 and the bytes fetched. */
async function downloadOne(file: PlannedFile, { client, home, staging, options, emit }: Download): Promise<{ sha256: string; fetched: number }> {
  let fileDone = await staging.bytesOnDisk(file);
  let fetched = 0;
  let lastEmit = 0;
  const interval = options.progressIntervalMs ?? 100;
  emit({ type: 'file', path: file.packPath, repo: file.repo, bytes: file.bytes, resumeFrom: fileDone });
  const sha256 = await downloadFile(file, {
    client,
    revision: file.revision,
    partialPath: staging.partialPath(file),
    finalPath: staging.finalPath(file),
    home: home.root,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onResume: (bytes) => (fileDone = bytes),
    onRetry: (bytesOnDisk, attempt, reason) => {
      fileDone = bytesOnDisk;
      emit({ type: 'retry', path: file.packPath, bytesOnDisk, attempt, reason });
    },
    onBytes: (bytes) => {
      fileDone += bytes;
      fetched += bytes;
      const now = Date.now();
      if (now - lastEmit >= interval || fileDone === file.bytes) {
        lastEmit = now;
        emit({ type: 'progress', path: file.packPath, done: fileDone, total: file.bytes });
      }
    },
  });
  return { sha256, fetched };
}

/** The bytes of the files an installed pack's manifest lists. */
async function packBytes(dir: string): Promise<number> {
  return (await loadManifest(dir)).files.reduce((sum, f) => sum + f.bytes, 0);
}

async function bytesStillNeeded(plan: readonly PlannedFile[], staging: StagingArea): Promise<number> {
  let needed = 0;
  for (const file of plan) needed += file.bytes - (await staging.bytesOnDisk(file));
  return needed;
}

/**
 * `sa3 models pull ID`: downloads a catalogue pack into SA3_HOME/staging/ID (resuming what an
 * earlier pull left there), verifies every file, writes sa3-pack.json last and renames the
 * folder into SA3_HOME/packs/ID. Holds SA3_HOME/staging/ID.lock throughout, so a second pull of
 * the same pack waits and then finds it installed. An installed pack makes it a no-op.
 * A convertible pack downloads the safetensors checkpoint the same way (into staging/ID/checkpoint),
 * converts it into the pack and deletes the checkpoint (or keeps it, with keepCheckpoint).
 */
export async function pullPack(id: string, options: PullOptions = {}): Promise<PullResult> {
  const entry = catalogueEntry(id, options.catalogue);
  if (entry.availability.kind !== 'pullable' && entry.availability.kind !== 'convertible')
    throw new PackError('not_pullable', `${id} cannot be pulled yet: it ${entry.availability.reason}`);
  const home = packHome(options.home ?? sa3Home());
  const target = join(home.packs, id);
  const emit = options.onEvent ?? (() => undefined);
  const already = (): PullResult => {
    emit({ type: 'already-installed', id, dir: target });
    return { id, dir: target, status: 'already-installed', downloadedBytes: 0 };
  };
  if (await isInstalled(target, entry, options.precision)) return already();

  const lock = await acquirePackLock(home.staging, id, {
    onWait: (holder) => emit({ type: 'waiting', id, pid: holder?.pid ?? null }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    if (await isInstalled(target, entry, options.precision)) return already();
    const client = new HubClient(options);
    const plan = await planDownload(client, entry, options.signal);
    const commits = Object.fromEntries(plan.map((f) => [f.repo, f.revision]));
    const convert = entry.availability.kind === 'convertible' ? entry.availability : null;
    const staging = await StagingArea.open(join(home.staging, id), convert ? 'checkpoint' : 'pack');
    const total = plan.reduce((sum, f) => sum + f.bytes, 0);
    const needed = await bytesStillNeeded(plan, staging);
    // A converted pack is about as large as its checkpoint, and both are on disk until it is installed.
    const diskNeeded = needed + (convert ? total : 0);
    const free = await (options.freeBytes ?? freeBytes)(home.staging);
    if (free !== null && free < diskNeeded) throw diskFullError(home.root, diskNeeded);
    emit({
      type: 'plan',
      id,
      files: plan.length,
      bytes: total,
      bytesOnDisk: total - needed,
      ...(convert ? { checkpoint: { repo: convert.repo, keep: options.keepCheckpoint === true } } : {}),
    });

    const download: Download = { client, entry, home, staging, options, emit };
    let downloaded = 0;
    const placed: PlacedFile[] = [];
    for (const file of plan) {
      let sha256 = await staging.finished(file);
      if (!sha256) {
        try {
          const result = await downloadOne(file, download);
          sha256 = result.sha256;
          downloaded += result.fetched;
        } catch (error) {
          // The sentence names what the whole pack still needs, not just this file.
          if (error instanceof PackError && error.code === 'disk_full') throw diskFullError(home.root, await bytesStillNeeded(plan, staging));
          throw error;
        }
        await staging.markFinished(file, sha256);
        emit({ type: 'verified', path: file.packPath, sha256 });
      }
      placed.push({ path: file.packPath, bytes: file.bytes, role: file.role, sha256 });
    }

    if (convert) {
      const converted = await convertPulledCheckpoint({
        entry,
        repo: convert.repo,
        home,
        staging,
        checkpointBytes: total,
        keepCheckpoint: options.keepCheckpoint === true,
        revision: commits[convert.repo] ?? entry.revision,
        precision: options.precision ?? 'fp32',
        emit,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
      });
      await rm(staging.dir, { recursive: true, force: true });
      const bytes = await packBytes(converted.dir);
      emit({ type: 'installed', id, dir: converted.dir, bytes });
      return {
        id,
        dir: converted.dir,
        status: 'installed',
        downloadedBytes: downloaded,
        ...(converted.checkpointDir ? { checkpointDir: converted.checkpointDir } : {}),
      };
    }

    const repo = entrySourceRepo(entry);
    const manifest = await assembleManifest(entry, staging.packDir, placed, {
      ...(repo ? { repo } : {}),
      revision: (repo && commits[repo]) || entry.revision,
      commits,
    });
    await writeFileAtomic(join(staging.packDir, PACK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    await stampVerified(staging.packDir, await loadManifest(staging.packDir));
    const dir = await installPackDir(home, staging.packDir, id);
    await rm(staging.dir, { recursive: true, force: true });
    emit({ type: 'installed', id, dir, bytes: total });
    return { id, dir, status: 'installed', downloadedBytes: downloaded };
  } finally {
    await lock.release();
  }
}
