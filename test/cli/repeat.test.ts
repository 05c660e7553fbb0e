import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '@sa3/nodes';
import { eventsOfType, runCli, tempDir } from '../helpers/cli.js';
import { examplesDir } from '../helpers/paths.js';

const env: Record<string, string> = {};
beforeAll(async () => {
  env.SA3_HOME = await tempDir('sa3-home-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env })).code).toBe(0);
});

/** text-to-audio with 2 s of audio, written to a folder of its own; `extra` is merged into the workflow. */
async function workflowFile(extra: Record<string, unknown> = {}): Promise<string> {
  const workflow = { ...(JSON.parse(await readFile(join(examplesDir, 'text-to-audio.json'), 'utf8')) as Record<string, unknown>), ...extra };
  const path = join(await tempDir(), 'take.json');
  await writeFile(path, JSON.stringify(workflow));
  return path;
}

function reportsOf(result: Awaited<ReturnType<typeof runCli>>): RunReport[] {
  return eventsOfType(result, 'run-done').map((event) => event.report);
}

describe('sa3 run --repeat', () => {
  it('runs 4 takes of seed -1 with 4 drawn seeds, each with its own report and output, nothing overwritten', async () => {
    const out = await tempDir();
    const file = await workflowFile();
    const result = await runCli(['run', file, '--json', '--repeat', '4', '--out', out, '--set', 'generate.duration=2', '--set', 'generate.seed=-1'], { env });
    expect(result.code, result.stderr).toBe(0);
    const reports = reportsOf(result);
    expect(reports).toHaveLength(4);
    const seeds = reports.map((r) => r.seeds.generate!.seed!);
    expect(new Set(seeds).size).toBe(4);
    const files = (await readdir(out)).sort();
    const expected = [...reports.map((r) => `${r.runId}.report.json`), ...seeds.map((seed) => `text-to-audio-${seed}.mp3`)].sort();
    expect(files).toEqual(expected);
    for (const report of reports) {
      const bytes = await readFile(report.outputs[0]!.absolutePath);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(report.outputs[0]!.sha256);
      const written = JSON.parse(await readFile(join(out, `${report.runId}.report.json`), 'utf8')) as RunReport;
      expect(written.seeds).toEqual(report.seeds);
    }
  });

  it('increments a seed whose control is increment (s, s+1, s+2), and a fixed seed twice keeps both files', async () => {
    const out = await tempDir();
    const stepped = await workflowFile({ meta: { seedControl: { generate: { seed: 'increment' } } } });
    const result = await runCli(['run', stepped, '--json', '--repeat', '3', '--out', out, '--set', 'generate.duration=2', '--set', 'generate.seed=500'], {
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(reportsOf(result).map((r) => r.seeds.generate!.seed)).toEqual([500, 501, 502]);

    const fixedOut = await tempDir();
    const fixed = await runCli(['run', await workflowFile(), '--json', '--repeat', '2', '--out', fixedOut, '--set', 'generate.duration=2'], { env });
    expect(fixed.code, fixed.stderr).toBe(0);
    const [first, second] = reportsOf(fixed);
    expect(first!.seeds).toEqual(second!.seeds);
    expect(first!.outputs[0]!.path).toBe('text-to-audio-1234.mp3');
    expect(second!.outputs[0]!.path).toBe('text-to-audio-1234-1.mp3');
    // Same seed, same bytes: the second take is the first one again, under its own name.
    expect(second!.outputs[0]!.sha256).toBe(first!.outputs[0]!.sha256);
  });

  it('refuses a repeat outside 1-16, and --report with several takes, each in one sentence and running nothing', async () => {
    const file = await workflowFile();
    for (const repeat of ['0', '17', '2.5', 'four']) {
      const out = await tempDir();
      const result = await runCli(['run', file, '--repeat', repeat, '--out', out], { env });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(`--repeat must be a whole number from 1 to 16, got "${repeat}"`);
      expect(await readdir(out)).toEqual([]);
    }
    const result = await runCli(['run', file, '--repeat', '2', '--report', join(await tempDir(), 'r.json')], { env });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      '--report names one file, and --repeat runs several takes; leave --report out and each take writes its report beside its outputs',
    );
  });
});
