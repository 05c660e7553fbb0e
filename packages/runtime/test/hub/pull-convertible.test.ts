/**
 * `sa3 models pull medium` end to end against the fake hub: the tiny release-shaped checkpoint
 * (needs ../shared; skipped with a message without it, failing under SA3_REQUIRE_SHARED=1)
 * served as stabilityai/stable-audio-3-medium, downloaded, converted, installed and generated from.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PullEvent } from '../../src/hub/pull-events.js';
import { PACK_MANIFEST, type PackManifest } from '../../src/pack-format/manifest.js';
import { pullPack, type PullOptions } from '../../src/hub/pull-pack.js';
import { haveReference } from '../engine/fixtures.js';
import { expectTwoSecondsTwiceAlike } from '../engine/test-packs.js';
import { fakeCommit, type FakeHub } from '../helpers/fake-hub.js';
import { checkpointRepos, filesUnder, HF_TOKEN, hubTestBed, installedDirs, MEDIUM_BASE_REPO, MEDIUM_REPO } from './hub-fixtures.js';

const run = haveReference();
const { hub, home, copyOfRepos } = hubTestBed(async () => (run ? checkpointRepos() : null), MEDIUM_REPO);

const pull = (id: string, sa3Home: string, server: FakeHub, options: Partial<PullOptions> = {}) =>
  pullPack(id, { home: sa3Home, endpoint: server.endpoint, token: HF_TOKEN, progressIntervalMs: 0, ...options });

async function readManifest(packDir: string): Promise<PackManifest> {
  return JSON.parse(await readFile(join(packDir, PACK_MANIFEST), 'utf8')) as PackManifest;
}

const CHECKPOINT_FILES = [
  'model.safetensors',
  'model_config.json',
  't5gemma-b-b-ul2/config.json',
  't5gemma-b-b-ul2/model.safetensors',
  't5gemma-b-b-ul2/tokenizer.json',
  't5gemma-b-b-ul2/tokenizer_config.json',
];

describe.runIf(run)('sa3 models pull of a pack converted from its checkpoint', () => {
  it('pulls medium: downloads the checkpoint, converts it, installs the pack, deletes the checkpoint; it generates, and a second pull is a no-op', async () => {
    const server = await hub();
    const sa3Home = await home();
    const events: PullEvent[] = [];
    const result = await pull('medium', sa3Home, server, { onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ id: 'medium', status: 'installed', dir: join(sa3Home, 'packs', 'medium') });
    expect(result.downloadedBytes).toBeGreaterThan(0);
    expect(result.checkpointDir).toBeUndefined();
    expect(installedDirs(sa3Home)).toEqual(['medium']);
    // Nothing of the checkpoint is left: staging is empty and no checkpoints/ folder was made.
    expect(filesUnder(join(sa3Home, 'staging'))).toEqual([]);
    expect(existsSync(join(sa3Home, 'checkpoints'))).toBe(false);

    // Download bytes first (every checkpoint file verified), then the conversion parts in order.
    const types = events.map((e) => e.type);
    expect(events[0]).toMatchObject({ type: 'plan', id: 'medium', files: CHECKPOINT_FILES.length, checkpoint: { repo: MEDIUM_REPO, keep: false } });
    expect(
      events
        .filter((e) => e.type === 'verified')
        .map((e) => (e as { path: string }).path)
        .sort(),
    ).toEqual([...CHECKPOINT_FILES].sort());
    expect(types.lastIndexOf('progress')).toBeLessThan(types.indexOf('converting'));
    const parts = events.filter((e): e is Extract<PullEvent, { type: 'convert-progress' }> => e.type === 'convert-progress').map((e) => e.part);
    expect([...new Set(parts)]).toEqual(['textEncoder', 'dit', 'conditioner', 'encoder', 'decoder', 'check']);
    expect(types.slice(-2)).toEqual(['checkpoint-removed', 'installed']);

    const manifest = await readManifest(result.dir);
    expect(manifest).toMatchObject({
      id: 'medium',
      family: 'medium',
      ditLayout: 'explicit',
      source: { repo: MEDIUM_REPO, revision: fakeCommit(MEDIUM_REPO), commits: { [MEDIUM_REPO]: fakeCommit(MEDIUM_REPO) } },
    });
    expect(manifest.title).toBe('Stable Audio 3 medium (converted from the official checkpoint)');

    await expectTwoSecondsTwiceAlike(join(sa3Home, 'packs'), 'medium', 5);

    const before = server.requests.length;
    const again: PullEvent[] = [];
    const second = await pull('medium', sa3Home, server, { onEvent: (e) => again.push(e) });
    expect(second).toMatchObject({ status: 'already-installed', downloadedBytes: 0 });
    expect(again.map((e) => e.type)).toEqual(['already-installed']);
    expect(server.requests.length).toBe(before);
  });

  it('a 401 on the gated medium repo gives the licence sentence, and nothing is installed', async () => {
    const server = await hub();
    const sa3Home = await home();
    await expect(pullPack('medium', { home: sa3Home, endpoint: server.endpoint, token: '' })).rejects.toMatchObject({
      code: 'gated',
      message: `the repository ${MEDIUM_REPO} is gated: accept its licence on huggingface.co/${MEDIUM_REPO} and set HF_TOKEN`,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
  });

  it('--keep-checkpoint keeps the downloaded checkpoint in SA3_HOME/checkpoints/ID; the -base repo needs no token; --precision fp16 reaches the converter', async () => {
    const server = await hub();
    const sa3Home = await home();
    const events: PullEvent[] = [];
    const result = await pullPack('medium-base', {
      home: sa3Home,
      endpoint: server.endpoint,
      token: '',
      keepCheckpoint: true,
      precision: 'fp16',
      onEvent: (e) => events.push(e),
    });
    const kept = join(sa3Home, 'checkpoints', 'medium-base');
    expect(result).toMatchObject({ status: 'installed', checkpointDir: kept });
    expect(filesUnder(kept).sort()).toEqual([...CHECKPOINT_FILES].sort());
    expect(events.find((e) => e.type === 'checkpoint-kept')).toMatchObject({ dir: kept });
    expect(filesUnder(join(sa3Home, 'staging'))).toEqual([]);
    const manifest = await readManifest(result.dir);
    expect(manifest.source?.repo).toBe(MEDIUM_BASE_REPO);
    expect(manifest.source?.note).toBe(
      `Converted to float16 (float32 norms, attention and codec) ONNX on this machine from the safetensors checkpoint of ${MEDIUM_BASE_REPO}.`,
    );
    expect(manifest.precision).toBe('fp16');

    // Pulling it again as it is, or without a precision, does nothing; as fp32 it says how to get both.
    const again = (precision?: 'fp32' | 'fp16') =>
      pullPack('medium-base', { home: sa3Home, endpoint: server.endpoint, token: '', ...(precision ? { precision } : {}) });
    expect((await again('fp16')).status).toBe('already-installed');
    expect((await again()).status).toBe('already-installed');
    await expect(again('fp32')).rejects.toMatchObject({
      code: 'pack_exists',
      message: `medium-base is installed in ${result.dir} converted to fp16; remove it first with "sa3 models remove medium-base" to pull it as fp32, or keep both by converting the checkpoint with "sa3 models convert DIR --precision fp32 --out medium-base-fp32"`,
    });
  });

  it('a checkpoint that cannot be converted keeps the download; once fixed, the next pull fetches only the changed file', async () => {
    const broken = await copyOfRepos();
    const configPath = join(broken, MEDIUM_REPO, 'model_config.json');
    const goodConfig = await readFile(configPath, 'utf8');
    const config = JSON.parse(goodConfig) as { model: { diffusion: unknown } };
    delete (config.model as { diffusion?: unknown }).diffusion;
    await writeFile(configPath, JSON.stringify(config));
    const sa3Home = await home();

    await expect(pull('medium', sa3Home, await hub({ root: broken }))).rejects.toMatchObject({
      code: 'convert_failed',
      // vitest types its asymmetric matchers as any.
      message: expect.stringMatching(
        /^the checkpoint of medium downloaded from stabilityai\/stable-audio-3-medium could not be converted \(.+\); the download is kept in .*, and pulling again converts it without downloading$/,
      ) as unknown,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
    expect(filesUnder(join(sa3Home, 'staging', 'medium', 'checkpoint'))).toContain('model.safetensors');
    expect(filesUnder(join(sa3Home, 'staging', 'medium')).some((f) => f.startsWith('pack/') || f.startsWith('.pack.converting-'))).toBe(false);

    await writeFile(configPath, goodConfig);
    const fixed = await hub({ root: broken });
    const result = await pull('medium', sa3Home, fixed);
    expect(result.status).toBe('installed');
    const fetched = fixed.requests.filter((r) => r.kind === 'resolve').map((r) => r.path);
    expect(fetched).toEqual(['model_config.json']);
    expect(filesUnder(join(sa3Home, 'staging'))).toEqual([]);
  });
});
