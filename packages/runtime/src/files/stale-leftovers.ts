import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownedPrefix, removeLeftoversOfDeadProcesses, type LeftoverOptions } from './leftovers.js';

/** Private folders for downloads, data: URIs and encoding: <temp dir>/sa3-audio-<pid>-XXXXXX. */
export const AUDIO_TEMP_PREFIX = 'sa3-audio-';
/** Where a run's outputs wait until it has succeeded: <output dir>/.sa3-staging-<pid>-<run id>. */
export const OUTPUT_STAGING_PREFIX = '.sa3-staging-';

const AUDIO_TEMP = /^sa3-audio-(\d+)-/;
const OUTPUT_STAGING = /^\.sa3-staging-(\d+)-/;
const UPLOAD_PARTIAL = /^\..+\.(\d+)\.partial$/;

/** The name of an output staging folder of this process. */
export function outputStagingName(runId: string): string {
  return `${ownedPrefix(OUTPUT_STAGING_PREFIX)}${runId}`;
}

/** The name an upload has while it is being received: .<id>.<pid>.partial. */
export function uploadPartialName(id: string): string {
  return `.${id}.${process.pid}.partial`;
}

export interface StaleLeftoverPlaces extends LeftoverOptions {
  /** Where sa3-audio-* folders are made; default the OS temp dir. */
  readonly tempDir?: string;
  /** Output folders whose .sa3-staging-* folders are checked (sa3 run's --out). */
  readonly outputDirs?: readonly string[];
  /** A folder of per-run output folders (the server's), each checked for .sa3-staging-*. */
  readonly runOutputRoot?: string;
  /** The server's upload folder, for .<id>.<pid>.partial files. */
  readonly uploadDir?: string;
}

/**
 * Removes the temp folders, output staging folders and partial uploads that processes killed
 * before they could clean up left in these places. What a running process uses is kept.
 * Returns the paths removed.
 */
export async function removeStaleLeftovers(places: StaleLeftoverPlaces): Promise<string[]> {
  const removed = await removeLeftoversOfDeadProcesses(places.tempDir ?? tmpdir(), AUDIO_TEMP, places);
  for (const dir of places.outputDirs ?? []) removed.push(...(await removeLeftoversOfDeadProcesses(dir, OUTPUT_STAGING, places)));
  if (places.runOutputRoot) {
    const root = places.runOutputRoot;
    for (const entry of await readdir(root, { withFileTypes: true }).catch(() => [])) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      removed.push(...(await removeLeftoversOfDeadProcesses(join(root, entry.name), OUTPUT_STAGING, places)));
    }
  }
  if (places.uploadDir) removed.push(...(await removeLeftoversOfDeadProcesses(places.uploadDir, UPLOAD_PARTIAL, places)));
  return removed;
}
