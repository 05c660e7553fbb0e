import { existsSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { catalogueEntry } from '../../src/catalogue/index.js';
import { writePublishedTestLayout } from '../../src/testpack/index.js';
import { startFakeHub, type FakeHub, type FakeHubOptions } from '../helpers/fake-hub.js';

export const OPTIMIZED = 'stabilityai/stable-audio-3-optimized';
export const SMALL_MUSIC_REPO = 'stabilityai/stable-audio-3-small-music';
export const HF_TOKEN = 'hf_test_token';

/** Hub repos holding test graphs in the published layouts of small-music (DiT with external data) and the community int4 pack. */
export async function publishedRepos(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'sa3-hub-'));
  await writePublishedTestLayout(root, catalogueEntry('small-music'), { ditExternalData: true });
  await writePublishedTestLayout(root, catalogueEntry('small-music-int4'), { unverifiedUnder: 'onnx' });
  return root;
}

/** A copy of the repos to break (remove or change a file) without touching the shared ones. */
export async function copyOfRepos(root: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'sa3-hub-copy-'));
  await cp(root, copy, { recursive: true });
  return copy;
}

export async function emptyHome(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'sa3-home-'));
}

export async function removeAll(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}

/** Every file under a folder, relative to it. */
export function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(join(dir, prefix))) return [];
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const relative = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? filesUnder(dir, relative) : [relative];
  });
}

/** The size of the .partial file a pull keeps for this pack path, or null when there is none. */
export function partialSize(home: string, id: string, packPath: string): number | null {
  const dir = join(home, 'staging', id, 'partial');
  const match = filesUnder(dir).find((f) => f.startsWith(`${packPath}.`) && f.endsWith('.partial'));
  return match ? statSync(join(dir, match)).size : null;
}

/** What SA3_HOME holds outside staging/: installed pack folders. */
export function installedDirs(home: string): string[] {
  return existsSync(join(home, 'packs')) ? readdirSync(join(home, 'packs')) : [];
}

export const MEDIUM_REPO = 'stabilityai/stable-audio-3-medium';
export const MEDIUM_BASE_REPO = 'stabilityai/stable-audio-3-medium-base';

/**
 * Hub repos laid out like the safetensors releases of stabilityai/stable-audio-3-medium (gated)
 * and -medium-base: the tiny release-shaped checkpoint of test/convert (medium-tiny + t5gemma-tiny,
 * needs ../shared) at the repo root, t5gemma-b-b-ul2/ beside it.
 */
export async function checkpointRepos(): Promise<string> {
  const { writeCheckpointFolder } = await import('../compiler/checkpoint-folder.js');
  const root = await mkdtemp(join(tmpdir(), 'sa3-hub-checkpoints-'));
  await writeCheckpointFolder(join(root, MEDIUM_REPO));
  await cp(join(root, MEDIUM_REPO), join(root, MEDIUM_BASE_REPO), { recursive: true });
  return root;
}

/**
 * The hubs and SA3 homes of one test file: `makeRepos` fills the hub's repos once before its
 * tests (null: the file's tests are skipped), each hub closes after its test, and the repos,
 * homes and copies are removed after the file. Hubs gate `gatedRepo` behind HF_TOKEN.
 */
export function hubTestBed(makeRepos: () => Promise<string | null>, gatedRepo: string) {
  let repos: string | null = null;
  const cleanup: string[] = [];
  const hubs: FakeHub[] = [];
  beforeAll(async () => {
    repos = await makeRepos();
  });
  afterEach(async () => {
    for (const hub of hubs.splice(0)) await hub.close();
  });
  afterAll(async () => {
    await removeAll(...(repos ? [repos] : []), ...cleanup);
  });
  const kept = (dir: string) => (cleanup.push(dir), dir);
  return {
    hub: async (options: Partial<FakeHubOptions> = {}): Promise<FakeHub> => {
      const started = await startFakeHub({ root: repos!, gated: { [gatedRepo]: HF_TOKEN }, ...options });
      hubs.push(started);
      return started;
    },
    home: async (): Promise<string> => kept(await emptyHome()),
    /** A copy of the repos to break without touching the shared ones. */
    copyOfRepos: async (): Promise<string> => kept(await copyOfRepos(repos!)),
  };
}
