import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { decodeWithFfmpeg, dominantFrequency, peak, probe } from '../helpers/audio-probe.js';
import { examplesDir } from '../helpers/paths.js';

const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));

async function runExample(name: string) {
  const out = await tempDir();
  const result = await runCli(['run', join(examplesDir, name), '--json', '--out', out]);
  const done = result.events.find((e) => e.type === 'run-done');
  return { out, result, report: done?.report };
}

describe('every example runs through the CLI', () => {
  it('there are examples to run', () => expect(examples.length).toBeGreaterThanOrEqual(2));

  for (const name of examples) {
    it(`${name} validates and runs, and each output matches its sha256`, async () => {
      const validation = await runCli(['validate', join(examplesDir, name)]);
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
    const file = report.outputs[0].absolutePath;
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
    expect(JSON.parse(extracted.stdout)).toMatchObject({ name: 'trim-fade-mp3', nodes: expect.arrayContaining([expect.objectContaining({ id: 'convert', params: { format: 'mp3', mp3_bitrate: 192 } })]) });
  });

  it('concat-crossfade: 5.5 s (3 + 3 - 0.5 overlap), 440 Hz then 660 Hz, peak at -1 dBFS in FLAC and 24-bit WAV', async () => {
    const { report } = await runExample('concat-crossfade.json');
    const byNode = Object.fromEntries(report.outputs.map((o: any) => [o.node, o.absolutePath]));
    const flac = probe(byNode['save-flac']);
    const wav = probe(byNode['save-wav']);
    expect(flac).toMatchObject({ codec: 'flac', sampleRate: 44_100, channels: 2 });
    expect(wav).toMatchObject({ codec: 'pcm_s24le', sampleRate: 44_100, channels: 2 });
    const target = Math.pow(10, -1 / 20);
    for (const [path, step] of [[byNode['save-flac'], 2 ** -15], [byNode['save-wav'], 2 ** -23]] as const) {
      const [left] = decodeWithFfmpeg(path);
      expect(left!.length).toBe(5.5 * 44_100);
      expect(Math.abs(peak(left!) - target)).toBeLessThanOrEqual(step);
      expect(dominantFrequency(left!, 44_100, 0)).toBeCloseTo(440, -0.5);
      expect(dominantFrequency(left!, 44_100, left!.length - 65_536)).toBeCloseTo(660, -0.5);
    }
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
