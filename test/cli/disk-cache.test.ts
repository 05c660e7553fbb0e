import { mkdir, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg } from '../helpers/audio-probe.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { examplesDir } from '../helpers/paths.js';

const workflow = join(examplesDir, 'text-to-audio.json');
let home = '';

beforeAll(async () => {
  home = await tempDir('sa3-home-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: home } })).code).toBe(0);
});

const cacheRoot = () => join(home, 'cache', 'results');
async function cachedFiles(): Promise<string[]> {
  const versions = await readdir(cacheRoot()).catch(() => [] as string[]);
  return (await Promise.all(versions.map(async (v) => (await readdir(join(cacheRoot(), v))).map((f) => join(cacheRoot(), v, f))))).flat();
}

async function run(out: string, args: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const result = await runCli(['run', workflow, '--out', out, '--json', '--set', 'generate.duration=3', ...args], {
    env: { SA3_HOME: home, SA3_CACHE: 'on', ...env },
  });
  expect(result.code, result.stderr).toBe(0);
  return result;
}

const statusOf = (result: CliResult, node: string) =>
  result.events.some((e) => e.type === 'node-cached' && e.node === node)
    ? 'cached'
    : result.events.some((e) => e.type === 'node-start' && e.node === node)
      ? 'ran'
      : 'none';
const savedAudio = async (out: string) =>
  decodeWithFfmpeg(
    join(
      out,
      (await readdir(out)).find((f) => f.endsWith('.mp3'))!,
    ),
  )[0]!;

describe('the CLI keeps model results on disk between runs', () => {
  it('a second sa3 run that changes only the bitrate reuses the generated audio; --no-cache generates again', async () => {
    const first = await run(await tempDir());
    expect(statusOf(first, 'generate')).toBe('ran');
    expect(await cachedFiles()).toHaveLength(1);

    const secondOut = await tempDir();
    const second = await run(secondOut, ['--set', 'convert.mp3_bitrate=128']);
    expect(statusOf(second, 'generate')).toBe('cached');
    expect(statusOf(second, 'convert')).toBe('ran');
    expect((await savedAudio(secondOut)).length).toBe(3 * 44_100);

    const fresh = await run(await tempDir(), ['--set', 'convert.mp3_bitrate=128', '--no-cache']);
    expect(statusOf(fresh, 'generate')).toBe('ran');

    // Another seed is other audio: generated, and kept beside the first.
    const other = await run(await tempDir(), ['--set', 'generate.seed=99']);
    expect(statusOf(other, 'generate')).toBe('ran');
    expect(await cachedFiles()).toHaveLength(2);
  });

  it('the reused audio is the same audio: a cached run and an uncached run save identical samples', async () => {
    const cachedOut = await tempDir();
    const uncachedOut = await tempDir();
    await run(await tempDir(), ['--set', 'generate.seed=7']);
    expect(statusOf(await run(cachedOut, ['--set', 'generate.seed=7']), 'generate')).toBe('cached');
    await run(uncachedOut, ['--set', 'generate.seed=7', '--no-cache']);
    const [a, b] = [await savedAudio(cachedOut), await savedAudio(uncachedOut)];
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('a damaged cache file is a miss: the run generates again and replaces it', async () => {
    await run(await tempDir(), ['--set', 'generate.seed=11']);
    const files = await cachedFiles();
    const newest = (await Promise.all(files.map(async (f) => ({ f, t: (await stat(f)).mtimeMs })))).sort((x, y) => y.t - x.t)[0]!.f;
    await truncate(newest, 100);
    const again = await run(await tempDir(), ['--set', 'generate.seed=11']);
    expect(statusOf(again, 'generate')).toBe('ran');
    expect((await stat(newest)).size).toBeGreaterThan(3 * 44_100 * 2 * 4);
  });

  it('results are kept per runtime version and code fingerprint; folders of other code are deleted', async () => {
    const stale = join(cacheRoot(), '0.0.0-0000000000000000');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'old.sa3r'), 'audio made by other code');
    await run(await tempDir(), ['--set', 'generate.seed=13']);
    const folders = await readdir(cacheRoot());
    expect(folders).toHaveLength(1);
    expect(folders[0]).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{16}$/);
  });

  it('SA3_CACHE_MAX_MB=0 keeps nothing, and SA3_CACHE=off neither reads nor writes', async () => {
    const before = (await cachedFiles()).length;
    const none = await run(await tempDir(), ['--set', 'generate.seed=12'], { SA3_CACHE_MAX_MB: '0' });
    expect(statusOf(none, 'generate')).toBe('ran');
    expect((await cachedFiles()).length).toBe(before);
    const off = await run(await tempDir(), ['--set', 'generate.seed=7'], { SA3_CACHE: 'off' });
    expect(statusOf(off, 'generate')).toBe('ran');
  });
});
