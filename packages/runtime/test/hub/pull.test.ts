import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sa3Engine } from '../../src/engine/sa3-engine.js';
import { catalogueEntry } from '../../src/catalogue/index.js';
import { PACK_MANIFEST, type PackManifest } from '../../src/pack-format/manifest.js';
import { PackLocator } from '../../src/store/pack-locator.js';
import type { PullEvent } from '../../src/hub/pull-events.js';
import { pullPack, type PullOptions } from '../../src/hub/pull-pack.js';
import { noteByWord, writeTestPack } from '../../src/testpack/index.js';
import { callContext, conditioning } from '../engine/test-packs.js';
import { closedPort, fakeCommit, type FakeHub } from '../helpers/fake-hub.js';
import { dominantFrequency } from '../helpers/spectrum.js';
import { filesUnder, HF_TOKEN, hubTestBed, installedDirs, OPTIMIZED, partialSize, publishedRepos, SMALL_MUSIC_REPO } from './hub-fixtures.js';

const { hub, home, copyOfRepos } = hubTestBed(publishedRepos, SMALL_MUSIC_REPO);

const pull = (id: string, sa3Home: string, server: FakeHub, options: Partial<PullOptions> = {}) =>
  pullPack(id, { home: sa3Home, endpoint: server.endpoint, token: HF_TOKEN, ...options });

async function readManifest(packDir: string): Promise<PackManifest> {
  return JSON.parse(await readFile(join(packDir, PACK_MANIFEST), 'utf8')) as PackManifest;
}

async function generateWith(sa3Home: string, model: string, word: string): Promise<Float32Array> {
  const engine = new Sa3Engine({ packs: new PackLocator([join(sa3Home, 'packs')]), log: () => undefined });
  try {
    const clip = await engine.generate(
      { model, prompt: conditioning(`a ${word} tone`, model), steps: 4, cfgScale: 1, seed: 3, durationSeconds: 2 },
      callContext(),
    );
    return clip.channels[0]!;
  } finally {
    await engine.close();
  }
}

describe('sa3 models pull', () => {
  it('installs the published small-music layout, which then generates audio; a second pull downloads nothing', async () => {
    const server = await hub({ pageSize: 2 });
    const sa3Home = await home();
    const events: PullEvent[] = [];
    const result = await pull('small-music', sa3Home, server, { onEvent: (e) => events.push(e) });
    expect(result).toMatchObject({ id: 'small-music', status: 'installed', dir: join(sa3Home, 'packs', 'small-music') });
    expect(installedDirs(sa3Home)).toEqual(['small-music']);
    // Staging is left empty; the pack has the DiT's external data the tree listed beside it.
    expect(filesUnder(join(sa3Home, 'staging'))).toEqual([]);
    const manifest = await readManifest(result.dir);
    expect(manifest.graphs.dit).toMatchObject({ file: 'sa3-sm-music/dit.onnx', externalData: ['sa3-sm-music/dit.onnx.data'] });
    expect(manifest.graphs.encoder.outputs.latents?.name).toBe('latent');
    expect(manifest.graphs.decoder.outputs.pcm).toEqual({ name: 'pcm', dtype: 'int32', shape: [1, 'N', 2] });
    expect(manifest.codec.pcmFullScale).toBe(32767);
    // Pinned: "main" is resolved once per repo, and every listing and file comes from that commit.
    expect(manifest.source).toMatchObject({
      repo: OPTIMIZED,
      revision: fakeCommit(OPTIMIZED),
      commits: { [OPTIMIZED]: fakeCommit(OPTIMIZED), [SMALL_MUSIC_REPO]: fakeCommit(SMALL_MUSIC_REPO) },
    });
    expect(server.requests.filter((r) => r.kind === 'revision').map((r) => [r.repo, r.revision])).toEqual([
      [OPTIMIZED, 'main'],
      [SMALL_MUSIC_REPO, 'main'],
    ]);
    for (const r of server.requests.filter((q) => q.kind === 'tree' || q.kind === 'resolve')) expect(r.revision).toBe(fakeCommit(r.repo!));
    expect(events.map((e) => e.type)).toContain('installed');
    expect(
      events
        .filter((e) => e.type === 'verified')
        .map((e) => (e as { path: string }).path)
        .sort(),
    ).toEqual(manifest.files.map((f) => f.path).sort());

    const audio = await generateWith(sa3Home, 'small-music', 'bell');
    expect(audio.length).toBe(2 * 44_100);
    expect(dominantFrequency(audio, 44_100)).toBeCloseTo(noteByWord('bell').frequency, 0);

    const before = server.requests.length;
    const again = await pull('small-music', sa3Home, server);
    expect(again.status).toBe('already-installed');
    expect(server.requests.length).toBe(before);
  });

  it('pulls the community int4 layout, finding its files by name, and it generates the same tone', async () => {
    const server = await hub();
    const sa3Home = await home();
    await pull('small-music-int4', sa3Home, server);
    const manifest = await readManifest(join(sa3Home, 'packs', 'small-music-int4'));
    expect(manifest.ditLayout).toBe('explicit');
    expect(manifest.conditionerWeights).toBeUndefined();
    expect(manifest.graphs.conditioner).toMatchObject({
      file: 'number_conditioner.onnx',
      inputs: { seconds: { name: 'seconds' } },
      outputs: { embedding: { name: 'embedding' } },
    });
    expect(manifest.graphs.dit.inputs.padding_mask).toMatchObject({ name: 'padding_mask', dtype: 'bool' });
    expect(manifest.graphs.dit.outputs.velocity?.name).toBe('out');
    expect(manifest.graphs.textEncoder.outputs.hidden_states?.name).toBe('last_hidden_state');
    expect(manifest.graphs.encoder.file).toBe('encoder/encoder.onnx');
    const audio = await generateWith(sa3Home, 'small-music-int4', 'whistle');
    expect(dominantFrequency(audio, 44_100)).toBeCloseTo(noteByWord('whistle').frequency, 0);
  });

  it('a download cut in the middle resumes with a Range request from the bytes already on disk', async () => {
    const sa3Home = await home();
    const starts: { start: number; onDisk: number | null }[] = [];
    const server = await hub({
      cut: { repo: OPTIMIZED, path: 'onnx/sa3-sm-music/dit.onnx.data', afterBytes: 300_000 },
      onRequest: (r) => {
        if (r.path === 'onnx/sa3-sm-music/dit.onnx.data' && r.kind === 'cdn')
          starts.push({ start: r.rangeStart ?? 0, onDisk: partialSize(sa3Home, 'small-music', 'sa3-sm-music/dit.onnx.data') });
      },
    });
    const events: PullEvent[] = [];
    await pull('small-music', sa3Home, server, { onEvent: (e) => events.push(e) });
    expect(starts).toHaveLength(2);
    expect(starts[0]).toEqual({ start: 0, onDisk: null });
    expect(starts[1]!.start).toBeGreaterThan(0);
    expect(starts[1]!.start).toBeLessThanOrEqual(300_000);
    expect(starts[1]!.start).toBe(starts[1]!.onDisk);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ path: 'sa3-sm-music/dit.onnx.data', bytesOnDisk: starts[1]!.start });
    expect(installedDirs(sa3Home)).toEqual(['small-music']);
  });

  it('a pull that gives up keeps the partial file, and the next pull resumes it', async () => {
    const sa3Home = await home();
    const cut = await hub({ cut: { repo: OPTIMIZED, path: 'onnx/sa3-sm-music/dit.onnx.data', afterBytes: 200_000 } });
    await expect(pull('small-music', sa3Home, cut, { maxAttempts: 1 })).rejects.toMatchObject({
      code: 'download_failed',
      // vitest types its asymmetric matchers as any.
      message: expect.stringMatching(/sa3-sm-music\/dit\.onnx\.data .*run the pull again to resume/) as unknown,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
    const kept = partialSize(sa3Home, 'small-music', 'sa3-sm-music/dit.onnx.data');
    expect(kept).toBeGreaterThan(0);

    const whole = await hub();
    await pull('small-music', sa3Home, whole);
    const resumed = whole.requests.filter((r) => r.kind === 'cdn' && r.path === 'onnx/sa3-sm-music/dit.onnx.data');
    expect(resumed.map((r) => r.rangeStart)).toEqual([kept]);
    // Files finished by the first pull were not fetched again.
    expect(whole.requests.some((r) => r.path === 'onnx/t5gemma/encoder.onnx' && r.kind !== 'tree')).toBe(false);
    expect(installedDirs(sa3Home)).toEqual(['small-music']);
  });

  it('a file whose bytes do not match its sha256 is rejected and nothing is installed', async () => {
    const sa3Home = await home();
    const server = await hub({ corrupt: [{ repo: OPTIMIZED, path: 'onnx/same-s/dec_dynamic_bf16.onnx' }] });
    await expect(pull('small-music', sa3Home, server)).rejects.toMatchObject({
      code: 'file_corrupt',
      file: 'onnx/same-s/dec_dynamic_bf16.onnx',
      message: expect.stringMatching(
        /^onnx\/same-s\/dec_dynamic_bf16\.onnx from stabilityai\/stable-audio-3-optimized does not match its sha256 .*nothing was installed/,
      ) as unknown,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
    expect(readdirSync(sa3Home).sort()).toEqual(['staging']);
    expect(filesUnder(join(sa3Home, 'staging')).some((f) => f.includes('dec_dynamic_bf16'))).toBe(false);
  });

  it('a small (non-LFS) file is checked by its git blob id', async () => {
    const sa3Home = await home();
    const server = await hub({ corrupt: [{ repo: SMALL_MUSIC_REPO, path: 't5gemma-b-b-ul2/tokenizer.json' }] });
    await expect(pull('small-music', sa3Home, server)).rejects.toMatchObject({
      code: 'file_corrupt',
      message: expect.stringMatching(/tokenizer\.json .* does not match its git blob id/) as unknown,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
  });

  it('401 and 403 give the licence sentence naming the repo', async () => {
    const server = await hub();
    const sentence = `the repository ${SMALL_MUSIC_REPO} is gated: accept its licence on huggingface.co/${SMALL_MUSIC_REPO} and set HF_TOKEN`;
    const noToken = pullPack('small-music', { home: await home(), endpoint: server.endpoint, token: '' });
    await expect(noToken).rejects.toMatchObject({ code: 'gated', message: sentence });
    await expect(pull('small-music', await home(), server, { token: 'hf_wrong' })).rejects.toMatchObject({
      code: 'gated',
      message: expect.stringContaining(sentence) as unknown,
    });
  });

  it('a closed port gives the offline sentence', async () => {
    const port = await closedPort();
    const sa3Home = await home();
    await expect(pullPack('small-music', { home: sa3Home, endpoint: `http://127.0.0.1:${port}`, token: '' })).rejects.toMatchObject({
      code: 'offline',
      message: expect.stringMatching(
        new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port} \\(HF_ENDPOINT\\): you seem to be offline \\(connection refused\\);`),
      ) as unknown,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
  });

  it('a repo missing a graph names the file', async () => {
    const broken = await copyOfRepos();
    await rm(join(broken, OPTIMIZED, 'onnx/same-s/dec_dynamic_bf16.onnx'));
    const server = await hub({ root: broken });
    await expect(pull('small-music', await home(), server)).rejects.toMatchObject({
      code: 'remote_missing',
      message: 'the repository stabilityai/stable-audio-3-optimized has no file onnx/same-s/dec_dynamic_bf16.onnx (the audio decoder graph of small-music)',
    });
    await rm(join(broken, OPTIMIZED, 'onnx/sa3-sm-music'), { recursive: true });
    await expect(pull('small-music', await home(), server)).rejects.toMatchObject({
      code: 'remote_missing',
      message: expect.stringMatching(/has no file onnx\/sa3-sm-music\/dit\.onnx \(the DiT graph/) as unknown,
    });
  });

  it('a graph whose inputs are not what the catalogue says is refused, naming the file and the input', async () => {
    const broken = await copyOfRepos();
    // The decoder where the encoder should be.
    await writeFile(join(broken, OPTIMIZED, 'onnx/same-s/enc_dynamic_bf16.onnx'), await readFile(join(broken, OPTIMIZED, 'onnx/same-s/dec_dynamic_bf16.onnx')));
    const sa3Home = await home();
    await expect(pull('small-music', sa3Home, await hub({ root: broken }))).rejects.toMatchObject({
      code: 'graph_mismatch',
      message: expect.stringMatching(/^same-s\/enc_dynamic_bf16\.onnx has no input "audio"/) as unknown,
    });
    expect(installedDirs(sa3Home)).toEqual([]);
  });

  it('two concurrent pulls of the same pack end with one installed pack and no error', async () => {
    const server = await hub();
    const sa3Home = await home();
    const results = await Promise.all([pull('small-music', sa3Home, server), pull('small-music', sa3Home, server)]);
    expect(results.map((r) => r.status).sort()).toEqual(['already-installed', 'installed']);
    expect(installedDirs(sa3Home)).toEqual(['small-music']);
    expect(server.requests.filter((r) => r.kind === 'cdn' && r.path === 'onnx/sa3-sm-music/dit.onnx.data')).toHaveLength(1);
  });

  it('a stale lock (its process is gone) is taken over', async () => {
    const sa3Home = await home();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await mkdir(join(sa3Home, 'staging'), { recursive: true });
    await writeFile(join(sa3Home, 'staging', 'small-music.lock'), JSON.stringify({ pid: gone, host: hostname(), started: new Date().toISOString() }));
    const result = await pull('small-music', sa3Home, await hub());
    expect(result.status).toBe('installed');
    expect(readdirSync(join(sa3Home, 'staging'))).toEqual([]);
  });

  it('not enough disk space is one sentence with the size needed, before anything is downloaded', async () => {
    const server = await hub();
    const sa3Home = await home();
    await expect(pull('small-music', sa3Home, server, { freeBytes: () => Promise.resolve(1000) })).rejects.toMatchObject({
      code: 'disk_full',
      message: expect.stringMatching(/^not enough disk space in SA3_HOME \(.*\) for 0\.1 GB;/) as unknown,
    });
    expect(server.requests.filter((r) => r.kind !== 'tree' && r.kind !== 'revision')).toEqual([]);
  });

  it('does not take a test pack of the same id for the real one, nor replace it', async () => {
    const sa3Home = await home();
    await writeTestPack(join(sa3Home, 'packs', 'small-music'), { id: 'small-music', objective: 'rf_denoiser', layout: 'baked' });
    await expect(pull('small-music', sa3Home, await hub())).rejects.toMatchObject({
      code: 'pack_exists',
      message: expect.stringMatching(
        /^another pack called "small-music" .* is installed in .*; remove it first with "sa3 models remove small-music"$/,
      ) as unknown,
    });
  });

  it('replaces an installed pack that lost a file', async () => {
    const sa3Home = await home();
    const server = await hub();
    const { dir } = await pull('small-music', sa3Home, server);
    await rm(join(dir, 'same-s/enc_dynamic_bf16.onnx'));
    expect((await pull('small-music', sa3Home, server)).status).toBe('installed');
    expect(statSync(join(dir, 'same-s/enc_dynamic_bf16.onnx')).isFile()).toBe(true);
  });

  it('packs that cannot be pulled say why', async () => {
    const blocked = {
      ...catalogueEntry('small-music'),
      id: 'blocked-pack',
      availability: { kind: 'blocked', reason: 'needs a graph ONNX Runtime can run' },
    } as const;
    await expect(pullPack('blocked-pack', { home: await home(), catalogue: [blocked] })).rejects.toMatchObject({
      code: 'not_pullable',
      message: 'blocked-pack cannot be pulled yet: it needs a graph ONNX Runtime can run',
    });
    await expect(pullPack('nope', { home: await home() })).rejects.toMatchObject({ code: 'unknown_pack' });
    expect(catalogueEntry('small-music').availability.kind).toBe('pullable');
  });

  it('the pulled pack records every file with its sha256, and verifies', async () => {
    const sa3Home = await home();
    const { dir } = await pull('small-music', sa3Home, await hub());
    const manifest = await readManifest(dir);
    for (const file of manifest.files) expect(statSync(join(dir, file.path)).size).toBe(file.bytes);
    const { verifyPackFiles } = await import('../../src/store/verify-files.js');
    await expect(verifyPackFiles(dir, manifest, { force: true })).resolves.toBeUndefined();
  });
});
