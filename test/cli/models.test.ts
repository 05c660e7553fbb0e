import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogueEntry, formatBytes } from '@sa3/runtime';
import { writePublishedTestLayout, writeTestPack } from '@sa3/runtime/testpack';
import { haveReference } from '../../packages/runtime/test/engine/fixtures.js';
import { closedPort, fakeCommit, startFakeHub, type FakeHub } from '../../packages/runtime/test/helpers/fake-hub.js';
import { checkpointRepos, MEDIUM_REPO } from '../../packages/runtime/test/hub/hub-fixtures.js';
import { decodeWithFfmpeg, dominantFrequency } from '../helpers/audio-probe.js';
import { runCli, tempDir } from '../helpers/cli.js';

const OPTIMIZED = 'stabilityai/stable-audio-3-optimized';
const GATED = 'stabilityai/stable-audio-3-small-music';
const TOKEN = 'hf_e2e_token';
const BELL = (110 * 44_100) / 4096;

let repos = '';
let hub: FakeHub;
const dirs: string[] = [];

async function temp(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  repos = await temp('sa3-hub-');
  await writePublishedTestLayout(repos, catalogueEntry('small-music'), { ditExternalData: true });
  hub = await startFakeHub({ root: repos, gated: { [GATED]: TOKEN } });
});

afterAll(async () => {
  await hub.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** The fields of `sa3 models list --json` these tests read. */
interface ModelsList {
  readonly installed: readonly unknown[];
  readonly catalogue: readonly { readonly id: string }[];
}

const models = (args: string[], env: Record<string, string>, cwd?: string) =>
  runCli(['models', ...args], { env: { HF_ENDPOINT: hub.endpoint, HF_TOKEN: TOKEN, ...env }, ...(cwd ? { cwd } : {}) });
const installed = (home: string) => (existsSync(join(home, 'packs')) ? readdirSync(join(home, 'packs')) : []);

describe('sa3 models', () => {
  it('list shows nothing installed, the catalogue, what can be pulled and what is converted from a checkpoint', async () => {
    const result = await models(['list'], { SA3_HOME: await temp('sa3-home-') });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/no model packs installed in .*\npull one with "sa3 models pull small-music", or try offline with "sa3 models testpack"/);
    expect(result.stdout).toMatch(
      /small-music +pullable .*gated: accept the licence on huggingface\.co\/stabilityai\/stable-audio-3-small-music and set HF_TOKEN/,
    );
    expect(result.stdout).toMatch(
      /medium +convert +~10\.4 GB .*downloads the 10\.4 GB checkpoint from huggingface\.co\/stabilityai\/stable-audio-3-medium and converts it into ONNX on this machine .*deleted afterwards unless --keep-checkpoint; gated: accept the licence on huggingface\.co\/stabilityai\/stable-audio-3-medium and set HF_TOKEN/,
    );
    expect(result.stdout).toMatch(/small-music-base +convert .*checkpoint from huggingface\.co\/stabilityai\/stable-audio-3-small-music-base/);
    expect(result.stdout).not.toMatch(/small-music-base .*gated/);
    const json = JSON.parse((await models(['list', '--json'], { SA3_HOME: await temp('sa3-home-') })).stdout) as ModelsList;
    expect(json.installed).toEqual([]);
    expect(json.catalogue.find((e) => e.id === 'small-music-int4')).toMatchObject({
      status: 'pullable',
      // vitest types its asymmetric matchers as any.
      files: expect.arrayContaining([expect.objectContaining({ verified: false })]) as unknown,
    });
    expect(json.catalogue.find((e) => e.id === 'medium')).toMatchObject({
      status: 'convertible',
      checkpointRepo: 'stabilityai/stable-audio-3-medium',
      deletedAfterConversion: true,
      gatedRepos: ['stabilityai/stable-audio-3-medium'],
    });
  });

  it('pull installs a pack that generates audio; a second pull downloads nothing; verify, list and remove', async () => {
    const home = await temp('sa3-home-');
    const pulled = await models(['pull', 'small-music'], { SA3_HOME: home });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toBe(`installed small-music in ${join(home, 'packs', 'small-music')}\n`);
    expect(pulled.stderr).toMatch(/pulling small-music: 7 files/);
    expect(pulled.stderr).toMatch(/downloading sa3-sm-music\/dit\.onnx\.data \(.*\)\nverified sa3-sm-music\/dit\.onnx\.data: .* in .* s \(.*\/s\), sha256 ok/);
    expect(installed(home)).toEqual(['small-music']);

    const cwd = await temp('sa3-out-');
    const generated = await runCli(['generate', 'a bell tone', '--model', 'small-music', '--duration', '2', '--seed', '1', '--out', 'bell.wav'], {
      env: { SA3_HOME: home },
      cwd,
    });
    expect(generated.code, generated.stderr).toBe(0);
    const [left] = decodeWithFfmpeg(join(cwd, 'bell.wav'));
    expect(left!.length).toBe(2 * 44_100);
    expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(BELL, -0.5);

    const before = hub.requests.length;
    const again = await models(['pull', 'small-music', '--json'], { SA3_HOME: home });
    expect(again.code, again.stderr).toBe(0);
    expect(again.events).toEqual([{ type: 'already-installed', id: 'small-music', dir: join(home, 'packs', 'small-music') }]);
    expect(hub.requests.length).toBe(before);

    const verified = await models(['verify', 'small-music'], { SA3_HOME: home });
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/small-music: all 7 files match their sha256/);
    const list = await models(['list'], { SA3_HOME: home });
    expect(list.stdout).toMatch(/installed \(.*\):\n +small-music +Stable Audio 3 small music/);
    expect(list.stdout).toContain(`, from stabilityai/stable-audio-3-optimized@${fakeCommit('stabilityai/stable-audio-3-optimized').slice(0, 7)})`);
    expect(list.stdout).toMatch(/small-music +installed/);
    const packDir = join(home, 'packs', 'small-music');
    const packFiles = readdirSync(packDir, { recursive: true, encoding: 'utf8' }).filter(
      (name) => !name.split('/').some((part) => part.startsWith('.')) && name !== 'sa3-pack.json' && statSync(join(packDir, name)).isFile(),
    );
    const packBytes = packFiles.reduce((sum, name) => sum + statSync(join(packDir, name)).size, 0);
    const listed = JSON.parse((await models(['list', '--json'], { SA3_HOME: home })).stdout) as { installed: { precision: string; bytes: number }[] };
    expect(listed.installed).toEqual([expect.objectContaining({ precision: 'fp32', bytes: packBytes })] as unknown);
    expect(list.stdout).toContain(`(rf_denoiser, fp32, ${formatBytes(packBytes)}, up to`);

    expect((await models(['remove', 'small-music'], { SA3_HOME: home })).stdout).toBe(`removed small-music (${join(home, 'packs', 'small-music')})\n`);
    expect(installed(home)).toEqual([]);
    const gone = await models(['remove', 'small-music'], { SA3_HOME: home });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/the pack "small-music" is not installed/);
  });

  it('--json pull prints every event as a JSON line, a resumed download among them', async () => {
    const cutting = await startFakeHub({
      root: repos,
      gated: { [GATED]: TOKEN },
      cut: { repo: OPTIMIZED, path: 'onnx/sa3-sm-music/dit.onnx.data', afterBytes: 100_000 },
    });
    try {
      const home = await temp('sa3-home-');
      const result = await runCli(['models', 'pull', 'small-music', '--json'], { env: { SA3_HOME: home, HF_ENDPOINT: cutting.endpoint, HF_TOKEN: TOKEN } });
      expect(result.code, result.stderr).toBe(0);
      const types = result.events.map((e) => e.type);
      expect(types[0]).toBe('plan');
      expect(types.at(-1)).toBe('installed');
      const retry = result.events.find((e) => e.type === 'retry');
      expect(retry).toMatchObject({ path: 'sa3-sm-music/dit.onnx.data' });
      const ranged = cutting.requests.filter((r) => r.kind === 'cdn' && r.path === 'onnx/sa3-sm-music/dit.onnx.data').map((r) => r.rangeStart);
      expect(ranged).toEqual([null, retry!.bytesOnDisk]);
    } finally {
      await cutting.close();
    }
  });

  it('every failure is one sentence: licence, offline, a missing graph', async () => {
    const home = await temp('sa3-home-');
    const gated = await models(['pull', 'small-music'], { SA3_HOME: home, HF_TOKEN: '' });
    expect(gated.code).toBe(1);
    expect(gated.stderr).toBe(`sa3 models: the repository ${GATED} is gated: accept its licence on huggingface.co/${GATED} and set HF_TOKEN\n`);

    const port = await closedPort();
    const offline = await models(['pull', 'small-music'], { SA3_HOME: home, HF_ENDPOINT: `http://127.0.0.1:${port}` });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(
      new RegExp(`^sa3 models: cannot reach 127\\.0\\.0\\.1:${port} \\(HF_ENDPOINT\\): you seem to be offline \\(connection refused\\); [^\\n]*\\n$`),
    );

    const broken = await temp('sa3-hub-broken-');
    await writePublishedTestLayout(broken, catalogueEntry('small-music'));
    await rm(join(broken, OPTIMIZED, 'onnx/t5gemma/encoder.onnx'));
    const brokenHub = await startFakeHub({ root: broken });
    try {
      const missing = await models(['pull', 'small-music'], { SA3_HOME: home, HF_ENDPOINT: brokenHub.endpoint });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe(
        'sa3 models: the repository stabilityai/stable-audio-3-optimized has no file onnx/t5gemma/encoder.onnx (the text encoder graph of small-music)\n',
      );
    } finally {
      await brokenHub.close();
    }
    expect(installed(home)).toEqual([]);
    expect((await models(['pull', 'medium'], { SA3_HOME: home })).stderr).toMatch(
      /^sa3 models: there is no repository stabilityai\/stable-audio-3-medium \(or no revision main\) on 127\.0\.0\.1:\d+ \(HF_ENDPOINT\)\n$/,
    );
  });

  it('two pulls of the same pack at once end with one installed pack and no error', async () => {
    const home = await temp('sa3-home-');
    const [a, b] = await Promise.all([models(['pull', 'small-music'], { SA3_HOME: home }), models(['pull', 'small-music'], { SA3_HOME: home })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect([a.stdout, b.stdout].sort()).toEqual([
      `installed small-music in ${join(home, 'packs', 'small-music')}\n`,
      `small-music is already installed in ${join(home, 'packs', 'small-music')}\n`,
    ]);
    expect(installed(home)).toEqual(['small-music']);
    expect(readdirSync(join(home, 'staging'))).toEqual([]);
  });

  it('import DIR installs a pack folder or published files downloaded by hand', async () => {
    const home = await temp('sa3-home-');
    const pack = await temp('sa3-pack-');
    await writeTestPack(pack, { id: 'hand-made', objective: 'rf_denoiser', layout: 'explicit', conditioner: 'graph' });
    const imported = await models(['import', pack], { SA3_HOME: home });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe(`imported hand-made into ${join(home, 'packs', 'hand-made')}\n`);
    const published = await models(['import', join(repos)], { SA3_HOME: home });
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/^imported small-music into .* \(published files matched to the catalogue\)\n$/);
    expect(installed(home).sort()).toEqual(['hand-made', 'small-music']);
    const twice = await models(['import', pack], { SA3_HOME: home });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/a pack "hand-made" is already installed .*sa3 models remove hand-made/);
  });

  it.runIf(haveReference())(
    'pull medium downloads the checkpoint, converts it with a line per part, deletes it and generates; a second pull is a no-op',
    async () => {
      const checkpoints = await checkpointRepos();
      dirs.push(checkpoints);
      const medium = await startFakeHub({ root: checkpoints, gated: { [MEDIUM_REPO]: TOKEN } });
      try {
        const home = await temp('sa3-home-');
        const env = { SA3_HOME: home, HF_ENDPOINT: medium.endpoint, HF_TOKEN: TOKEN };
        const pulled = await runCli(['models', 'pull', 'medium'], { env });
        expect(pulled.code, pulled.stderr).toBe(0);
        expect(pulled.stdout).toBe(`installed medium in ${join(home, 'packs', 'medium')}\n`);
        expect(pulled.stderr).toMatch(
          /pulling medium: 6 files, .*\n {2}this is the safetensors checkpoint from stabilityai\/stable-audio-3-medium; sa3 converts it into ONNX here .* deletes it afterwards \(--keep-checkpoint keeps it\)\n/,
        );
        expect(pulled.stderr).toMatch(
          /verified model\.safetensors: .*sha256 ok\n(.|\n)*converting the checkpoint of medium into ONNX \(no Python needed\)\n {2}converting the T5Gemma text encoder\n(.|\n)* {2}converting the DiT\n(.|\n)* {2}done checking each graph once in .* s\ndeleted the downloaded checkpoint \(.*\)\n$/,
        );
        expect(installed(home)).toEqual(['medium']);
        expect(existsSync(join(home, 'checkpoints'))).toBe(false);

        const cwd = await temp('sa3-out-');
        const generated = await runCli(
          ['generate', 'a soft tone', '--model', 'medium', '--duration', '2', '--steps', '4', '--seed', '1', '--out', 'medium.wav'],
          { env: { SA3_HOME: home }, cwd },
        );
        expect(generated.code, generated.stderr).toBe(0);
        const [left] = decodeWithFfmpeg(join(cwd, 'medium.wav'));
        expect(left!.length).toBe(2 * 44_100);

        const again = await runCli(['models', 'pull', 'medium', '--json'], { env });
        expect(again.events).toEqual([{ type: 'already-installed', id: 'medium', dir: join(home, 'packs', 'medium') }]);
        const gated = await runCli(['models', 'pull', 'medium'], { env: { ...env, SA3_HOME: await temp('sa3-home-'), HF_TOKEN: '' } });
        expect(gated.code).toBe(1);
        expect(gated.stderr).toBe(`sa3 models: the repository ${MEDIUM_REPO} is gated: accept its licence on huggingface.co/${MEDIUM_REPO} and set HF_TOKEN\n`);
      } finally {
        await medium.close();
      }
    },
  );
});
