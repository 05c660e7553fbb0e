import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Workflow } from '@sa3/nodes';
import { eventOfType, eventsOfType, runCli, tempDir } from '../helpers/cli.js';
import { decodeWithFfmpeg, dominantFrequency, peak, probe } from '../helpers/audio-probe.js';
import { examplesDir } from '../helpers/paths.js';
import { installLoraDemo } from '../helpers/lora-demo.js';

const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));

/** Model examples run against test packs installed (through the CLI) under the ids they name. */
const env: Record<string, string> = {};
beforeAll(async () => {
  env.SA3_HOME = await tempDir('sa3-home-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env })).code).toBe(0);
  expect((await runCli(['models', 'testpack', '--id', 'small-music-base', '--base', '--layout', 'explicit'], { env })).code).toBe(0);
  // lora-stack.json: a pack converted from a small medium-layout checkpoint, and its LoRA files by name.
  await installLoraDemo(env);
}, 120_000);

/** Runs an example with --json; throws, with what the CLI printed, when the run did not end with `run-done`. */
async function runExample(name: string) {
  const out = await tempDir();
  const result = await runCli(['run', join(examplesDir, name), '--json', '--out', out], { env });
  const done = eventOfType(result, 'run-done');
  if (!done) throw new Error(`${name} printed no run-done (exit code ${result.code}):\n${result.stderr}${result.stdout}`);
  return { out, result, report: done.report };
}

describe('every example runs through the CLI', () => {
  it('there are examples to run', () => expect(examples.length).toBeGreaterThanOrEqual(7));

  for (const name of examples) {
    it(`${name} validates and runs, and each output matches its sha256`, async () => {
      const validation = await runCli(['validate', join(examplesDir, name)], { env });
      expect(validation.code, validation.stderr).toBe(0);
      const { result, report } = await runExample(name);
      expect(result.code, result.stderr + result.stdout).toBe(0);
      expect(report.status).toBe('succeeded');
      expect(report.outputs.length).toBeGreaterThan(0);
      for (const output of report.outputs) {
        const bytes = await readFile(output.absolutePath);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(output.sha256);
        expect(bytes.byteLength).toBe(output.bytes);
      }
    });
  }
});

describe('what the examples make', () => {
  it('trim-fade-mp3: 3.000 s of 192 kbps MP3, the chord root on the left, faded to silence, workflow embedded', async () => {
    const { report } = await runExample('trim-fade-mp3.json');
    const file = report.outputs[0]!.absolutePath;
    const info = probe(file);
    expect(info).toMatchObject({ codec: 'mp3', sampleRate: 44_100, channels: 2, bitRate: 192_000 });
    const [left, right] = decodeWithFfmpeg(file);
    expect(left!.length).toBe(3 * 44_100);
    expect(dominantFrequency(left!, 44_100, 22_050)).toBeCloseTo(220, -0.5);
    expect(dominantFrequency(right!, 44_100, 22_050)).toBeCloseTo(277.18, -0.5);
    expect(Math.abs(left![0]!)).toBeLessThan(0.01);
    expect(peak(left!.subarray(left!.length - 200))).toBeLessThan(0.01);
    const extracted = await runCli(['extract', file]);
    expect(extracted.code).toBe(0);
    expect(JSON.parse(extracted.stdout) as Workflow).toMatchObject({
      name: 'trim-fade-mp3',
      // vitest types its asymmetric matchers as any.
      nodes: expect.arrayContaining([expect.objectContaining({ id: 'convert', params: { format: 'mp3', mp3_bitrate: 192 } })]) as unknown,
    });
  });

  it('concat-crossfade: 5.5 s (3 + 3 - 0.5 overlap), 440 Hz then 660 Hz, peak at -1 dBFS in FLAC and 24-bit WAV', async () => {
    const { report } = await runExample('concat-crossfade.json');
    const byNode = Object.fromEntries(report.outputs.map((o) => [o.node, o.absolutePath]));
    const flac = probe(byNode['save-flac']!);
    const wav = probe(byNode['save-wav']!);
    expect(flac).toMatchObject({ codec: 'flac', sampleRate: 44_100, channels: 2 });
    expect(wav).toMatchObject({ codec: 'pcm_s24le', sampleRate: 44_100, channels: 2 });
    const target = Math.pow(10, -1 / 20);
    for (const [path, step] of [
      [byNode['save-flac']!, 2 ** -15],
      [byNode['save-wav']!, 2 ** -23],
    ] as const) {
      const [left] = decodeWithFfmpeg(path);
      expect(left!.length).toBe(5.5 * 44_100);
      expect(Math.abs(peak(left!) - target)).toBeLessThanOrEqual(step);
      expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(440, -0.5);
      expect(dominantFrequency(left!, 44_100, left!.length - 65_536)).toBeCloseTo(660, -0.5);
    }
  });
});

describe('what the model examples make (on test packs)', () => {
  const MID = (41 * 44_100) / 4096;
  const HIGH = (82 * 44_100) / 4096;

  it('text-to-audio: exactly 30 s of 320 kbps MP3 whose tone is the prompt\'s ("mid"), named with its seed', async () => {
    const { report } = await runExample('text-to-audio.json');
    const file = report.outputs[0]!.absolutePath;
    expect(file.endsWith('text-to-audio-1234.mp3')).toBe(true);
    expect(probe(file)).toMatchObject({ codec: 'mp3', bitRate: 320_000, channels: 2 });
    const [left] = decodeWithFfmpeg(file);
    expect(left!.length).toBe(30 * 44_100);
    expect(dominantFrequency(left!, 44_100, 44_100)).toBeCloseTo(MID, -0.5);
    expect(report.seeds).toEqual({ generate: { seed: 1234 } });
  });

  it('inpaint-region: every sample outside [1.0 s, 2.5 s) equals the source, the inside is new', async () => {
    const { report } = await runExample('inpaint-region.json');
    const [out] = decodeWithFfmpeg(report.outputs[0]!.absolutePath);
    const [source] = decodeWithFfmpeg(join(examplesDir, 'audio/chord.wav'));
    expect(out!.length).toBe(source!.length);
    const [start, end] = [44_100, 110_250];
    for (let i = 0; i < out!.length; i++) if (i < start || i >= end) expect(out![i]).toBe(source![i]);
    expect(dominantFrequency(out!.slice(start + 1500, end - 1500), 44_100, 0)).toBeCloseTo(HIGH, -0.5);
  });

  it('edit-init-audio: the length of its source, moved to the prompt', async () => {
    const { report } = await runExample('edit-init-audio.json');
    const [out] = decodeWithFfmpeg(report.outputs[0]!.absolutePath);
    expect(out!.length).toBe(4 * 44_100);
    expect(dominantFrequency(out!, 44_100, 0)).toBeCloseTo((56 * 44_100) / 4096, -0.5); // "bright"
  });

  it('extend-twice: 60 s in one MP3, continuous at both seams', async () => {
    const { report } = await runExample('extend-twice.json');
    expect(report.nodes.map((n) => n.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);
    const [left] = decodeWithFfmpeg(report.outputs[0]!.absolutePath);
    expect(left!.length).toBe(60 * 44_100);
    let largest = 0;
    for (let i = 1; i < 20 * 44_100; i++) largest = Math.max(largest, Math.abs(left![i]! - left![i - 1]!));
    for (const seam of [20 * 44_100, 40 * 44_100]) {
      for (let i = seam - 3; i < seam + 3; i++) expect(Math.abs(left![i + 1]! - left![i]!)).toBeLessThanOrEqual(largest * 1.1);
    }
  });

  it('base-negative-cfg: 15 s from 30 guided Euler steps on the base pack', async () => {
    const { report, result } = await runExample('base-negative-cfg.json');
    const progress = eventsOfType(result, 'node-progress').filter((e) => e.node === 'generate' && e.phase === 'sampling');
    expect(progress.map((e) => e.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const [left] = decodeWithFfmpeg(report.outputs[0]!.absolutePath);
    expect(left!.length).toBe(15 * 44_100);
    expect(peak(left!)).toBeGreaterThan(0.1);
  });
});

describe('example files', () => {
  it('are stored exactly as sa3 writes them (save -> load -> save leaves the bytes alone)', async () => {
    const { builtinNodes, loadWorkflow, serializeWorkflow } = await import('@sa3/runtime');
    for (const name of examples) {
      const text = await readFile(join(examplesDir, name), 'utf8');
      expect(serializeWorkflow(loadWorkflow(text).workflow!, builtinNodes), name).toBe(text);
    }
  });
});
