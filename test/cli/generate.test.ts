import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsOfType, runCli, tempDir } from '../helpers/cli.js';
import { decodeWithFfmpeg, dominantFrequency, probe } from '../helpers/audio-probe.js';

const MID = (41 * 44_100) / 4096;
const env: Record<string, string> = {};
let dir = '';

beforeAll(async () => {
  env.SA3_HOME = await tempDir('sa3-home-');
  dir = await tempDir('sa3-generate-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env })).code).toBe(0);
});

const generate = (args: string[]) => runCli(['generate', ...args], { env, cwd: dir });

describe('sa3 generate', () => {
  it("makes the requested duration with the prompt's tone; the same seed gives the same bytes", async () => {
    const a = await generate(['a soft mid tone', '--duration', '5', '--seed', '3', '--out', 'a.wav']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim()).toBe(join(dir, 'a.wav'));
    expect(a.stderr).toMatch(/seeds: sampler\.seed=3/);
    // Same file name in other folders: the embedded workflow (which names the file) is the same too.
    await generate(['a soft mid tone', '--duration', '5', '--seed', '3', '--out', 'again/a.wav']);
    await generate(['a soft mid tone', '--duration', '5', '--seed', '4', '--out', 'other/a.wav']);
    const [bytesA, bytesB, bytesC] = await Promise.all(['a.wav', 'again/a.wav', 'other/a.wav'].map((f) => readFile(join(dir, f))));
    expect(bytesA!.equals(bytesB!)).toBe(true);
    expect(bytesA!.equals(bytesC!)).toBe(false);
    const [left] = decodeWithFfmpeg(join(dir, 'a.wav'));
    expect(left!.length).toBe(5 * 44_100);
    expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(MID, -0.5);
  });

  it('picks the format from the extension and never overwrites', async () => {
    const first = await generate(['mid', '--duration', '2', '--out', 'x.mp3']);
    const second = await generate(['mid', '--duration', '2', '--out', 'x.mp3']);
    expect(first.stdout.trim()).toBe(join(dir, 'x.mp3'));
    expect(second.stdout.trim()).toBe(join(dir, 'x-1.mp3'));
    expect(probe(join(dir, 'x.mp3')).codec).toBe('mp3');
  });

  it('extends a file: inpaint from its length to --duration keeps it and adds the rest', async () => {
    expect((await generate(['low hum', '--duration', '3', '--seed', '1', '--out', 'src.wav'])).code).toBe(0);
    const result = await generate(['low hum', '--inpaint-audio', 'src.wav', '--start', '3', '--duration', '7', '--out', 'long.wav']);
    expect(result.code, result.stderr).toBe(0);
    const [source] = decodeWithFfmpeg(join(dir, 'src.wav'));
    const [long] = decodeWithFfmpeg(join(dir, 'long.wav'));
    expect(long!.length).toBe(7 * 44_100);
    for (let i = 0; i < source!.length; i += 97) expect(long![i]).toBe(source![i]);
  });

  it('edits an init audio and reports each sampling step as JSON lines', async () => {
    const result = await generate(['bright', '--init-audio', 'src.wav', '--init-noise-level', '0.6', '--steps', '6', '--json', '--out', 'edit.wav']);
    expect(result.code, result.stderr).toBe(0);
    const steps = eventsOfType(result, 'node-progress')
      .filter((e) => e.node === 'sampler' && e.phase === 'sampling')
      .map((e) => `${e.step}/${e.total}`);
    expect(steps).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
    expect(result.events.at(-1)?.type).toBe('run-done');
  });

  it.each([
    [['--duration', '0'], 'value_smaller_than_min', 'duration'],
    [['--duration', '381'], 'value_bigger_than_max', 'duration'],
    [['--steps', '3'], 'value_smaller_than_min', 'steps'],
    [['--cfg', '16'], 'value_bigger_than_max', 'cfg_scale'],
    [['--init-audio', 'src.wav', '--init-noise-level', '0.005'], 'value_smaller_than_min', 'init_noise_level'],
    [['--inpaint-audio', 'src.wav', '--start', '2', '--end', '1'], 'invalid_range', 'regions'],
    [['--inpaint-audio', 'src.wav', '--start', '5', '--end', '8'], 'value_bigger_than_max', 'regions'],
  ])('refuses %j with %s on %s (exit 2)', async (args, code, param) => {
    const result = await generate(['mid', ...args, '--json', '--out', 'bad.wav']);
    expect(result.code).toBe(2);
    const problem = result.events.find((e) => e.type === 'invalid')?.problems[0] ?? result.events.find((e) => e.type === 'run-error')?.report.error;
    expect(problem).toMatchObject({ code, param });
  });

  it('says how to get a model when none is installed', async () => {
    const result = await runCli(['generate', 'mid', '--out', join(dir, 'none.wav')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no model pack is installed .*sa3 models pull small-music.*sa3 models testpack/);
  });
});
