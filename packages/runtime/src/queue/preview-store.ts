import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { HandedPreviews } from './job-data.js';

/** Beside the runs' output folders (never inside one, whose files are public): <output root>/.sa3-previews/<run id>/. */
const PREVIEWS_FOLDER = '.sa3-previews';
const MANIFEST = 'previews.json';
/** As long as a restarted server answers a run that ended (sa3 serve --redis keeps them in Redis for a day). */
export const PREVIEW_KEEP_MS = 24 * 3600 * 1000;

interface PreviewManifest {
  readonly format: 'sa3-node-previews';
  readonly previews: readonly { readonly node: string; readonly output: string; readonly mime: string; readonly file: string; readonly bytes: number }[];
  readonly skipped?: string;
}

/** A node output's preview to serve, or the sentence saying why there is none. */
export type FoundPreview = { readonly path: string; readonly mime: string; readonly bytes: number } | { readonly sentence: string };

/** The previews folder of the run whose outputs go to `outDir`. */
export function previewDirOf(outDir: string): string {
  const run = resolve(outDir);
  return join(dirname(run), PREVIEWS_FOLDER, basename(run));
}

/**
 * Server side, when a job completed: the previews its worker put (waiting at `staged(index,
 * sha256)`) become the run's previews folder, with a manifest naming each one's node, output and
 * type, and why some or all are missing. Built under a temp name and renamed, so the folder is
 * whole or absent.
 */
export async function placePreviews(outDir: string, handed: HandedPreviews | undefined, staged: (index: number, sha256: string) => string): Promise<void> {
  const target = previewDirOf(outDir);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  await mkdir(temp, { recursive: true });
  try {
    const previews: PreviewManifest['previews'][number][] = [];
    let skipped = handed ? handed.skipped : 'the worker that ran it hands back no previews';
    for (const [index, preview] of (handed?.previews ?? []).entries()) {
      const file = String(index);
      const arrived = await link(staged(index, preview.sha256), join(temp, file)).then(
        () => true,
        () => false,
      );
      if (arrived) previews.push({ node: preview.node, output: preview.output, mime: preview.mime, file, bytes: preview.bytes });
      else skipped ??= `the worker's preview of "${preview.output}" of node "${preview.node}" never arrived`;
    }
    const manifest: PreviewManifest = { format: 'sa3-node-previews', previews, ...(skipped ? { skipped } : {}) };
    await writeFile(join(temp, MANIFEST), JSON.stringify(manifest));
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function parseManifest(text: string): PreviewManifest | null {
  try {
    const manifest = JSON.parse(text) as PreviewManifest | null;
    return manifest?.format === 'sa3-node-previews' && Array.isArray(manifest.previews) ? manifest : null;
  } catch {
    return null;
  }
}

/** The preview of `output` of `node` in the run whose outputs go to `outDir`, or why there is none, in one sentence. */
export async function findPreview(outDir: string, node: string, output: string): Promise<FoundPreview> {
  const dir = previewDirOf(outDir);
  const text = await readFile(join(dir, MANIFEST), 'utf8').catch(() => null);
  const manifest = text === null ? null : parseManifest(text);
  const subject = `the output "${output}" of node "${node}"`;
  if (!manifest)
    return { sentence: `${subject} was run on a worker and its preview is not kept on this server (previews are kept for a day); run the workflow again` };
  const entry = manifest.previews.find((p) => p.node === node && p.output === output);
  if (!entry) {
    const why = manifest.skipped ? `: ${manifest.skipped}` : ' (it was never produced)';
    return { sentence: `${subject} has no preview on this server${why}; run the workflow again` };
  }
  const path = join(dir, entry.file);
  const info = await stat(path).catch(() => null);
  if (info?.size !== entry.bytes) return { sentence: `${subject} had a preview on this server that is gone; run the workflow again` };
  return { path, mime: entry.mime, bytes: entry.bytes };
}

/** Removes the previews of the run whose outputs go to `outDir`. */
export async function removePreviews(outDir: string): Promise<void> {
  await rm(previewDirOf(outDir), { recursive: true, force: true });
}

/** Removes the previews folders (and partial ones) under `outputRoot` last written more than `keepMs` ago; returns the run ids removed. */
export async function removeOldPreviews(outputRoot: string, keepMs = PREVIEW_KEEP_MS, now = Date.now()): Promise<string[]> {
  const root = join(resolve(outputRoot), PREVIEWS_FOLDER);
  const removed: string[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    const info = await stat(join(root, name)).catch(() => null);
    if (!info || now - info.mtimeMs <= keepMs) continue;
    await rm(join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
