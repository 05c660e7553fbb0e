import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRuntime, loadWorkflow, readEmbeddedWorkflow } from '@sa3/runtime';
import { lastEventOfType, runCli, tempDir } from '../helpers/cli.js';
import { decodeWithFfmpeg, probe } from '../helpers/audio-probe.js';
import { examplesDir } from '../helpers/paths.js';

/** The part of a workflow file the test edits. */
interface EditableWorkflow {
  nodes: { id: string; params: Record<string, unknown> }[];
}

describe('result cache', () => {
  it('changing only the convert bitrate re-runs convert and save; every upstream node is cached', async () => {
    const text = await readFile(join(examplesDir, 'trim-fade-mp3.json'), 'utf8');
    const { executor } = createRuntime({ baseDir: examplesDir });
    const out = await tempDir();
    const first = await executor.run(loadWorkflow(text).workflow!, { outDir: out });
    const changed = loadWorkflow(text, { overrides: [{ node: 'convert', param: 'mp3_bitrate', value: 320 }] }).workflow!;
    const second = await executor.run(changed, { outDir: out });

    const statuses = Object.fromEntries(second.nodes.map((n) => [n.id, n.status]));
    expect(statuses).toEqual({ load: 'cached', trim: 'cached', fade: 'cached', convert: 'done', save: 'done' });
    expect(second.cacheHits).toBe(3);
    expect(first.nodes.every((n) => n.status === 'done')).toBe(true);

    const [a, b] = [first.outputs[0]!.absolutePath, second.outputs[0]!.absolutePath];
    expect(a).not.toBe(b);
    expect(probe(a).bitRate).toBe(192_000);
    expect(probe(b).bitRate).toBe(320_000);
    const [la] = decodeWithFfmpeg(a);
    const [lb] = decodeWithFfmpeg(b);
    expect(lb!.length).toBe(la!.length);
    // The same audio, encoded at a higher rate: the two decodes differ only by coding noise.
    let diff = 0;
    for (let i = 0; i < la!.length; i++) diff = Math.max(diff, Math.abs(la![i]! - lb![i]!));
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(0.05);
    const embeddedA = JSON.parse(readEmbeddedWorkflow(await readFile(a))!) as EditableWorkflow;
    const embeddedB = JSON.parse(readEmbeddedWorkflow(await readFile(b))!) as EditableWorkflow;
    embeddedA.nodes.find((n) => n.id === 'convert')!.params.mp3_bitrate = 320;
    expect(embeddedB).toEqual(embeddedA);
  });
});

describe('cancellation', () => {
  it('Ctrl+C during a long encode cancels the run and leaves no output at all', async () => {
    const dir = await tempDir();
    execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=300', '-ac', '2', join(dir, 'long.wav')]);
    const workflow = {
      format: 'sa3-workflow',
      version: 1,
      nodes: [
        { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'long.wav' } },
        { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'mp3', mp3_bitrate: 320 } },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
      ],
      connections: [
        { from: ['load', 'audio'], to: ['convert', 'audio'] },
        { from: ['convert', 'file'], to: ['save', 'file'] },
      ],
    };
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'long.json'), JSON.stringify(workflow)));
    const out = join(dir, 'out');
    let interrupted = false;
    const result = await runCli(['run', join(dir, 'long.json'), '--json', '--out', out], {
      onStdoutLine: (line, child) => {
        if (!interrupted && line.includes('"node-start"') && line.includes('"convert"')) {
          interrupted = true;
          setTimeout(() => child.kill('SIGINT'), 200);
        }
      },
    });
    expect(interrupted).toBe(true);
    expect(result.code).toBe(130);
    expect(result.events.at(-1)?.type).toBe('run-cancelled');
    expect(result.events.some((e) => e.type === 'node-done' && e.node === 'convert')).toBe(false);
    expect(await readdir(out)).toEqual([]);
    const leftovers = await readdir(dir);
    expect(leftovers.sort()).toEqual(['long.json', 'long.wav', 'out']);
  });
});

describe('workflows travel inside the audio they made', () => {
  it('a saved WAV can be run again with sa3 run and gives the same bytes of audio', async () => {
    const out = await tempDir();
    const first = await runCli(['run', join(examplesDir, 'concat-crossfade.json'), '--json', '--out', out]);
    expect(first.code).toBe(0);
    const wav = lastEventOfType(first, 'run-done').report.outputs.find((o) => o.node === 'save-wav')!.absolutePath;
    const extracted = await runCli(['extract', wav]);
    expect((JSON.parse(extracted.stdout) as { name?: string }).name).toBe('concat-crossfade');
    // Relative sources resolve against the file's folder, so give the rerun the example audio beside it.
    const again = await tempDir();
    await import('node:fs/promises').then((fs) => fs.cp(join(examplesDir, 'audio'), join(again, 'audio'), { recursive: true }));
    await import('node:fs/promises').then((fs) => fs.copyFile(wav, join(again, 'made.wav')));
    const rerun = await runCli(['run', join(again, 'made.wav'), '--json', '--out', join(again, 'out')]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const rewav = lastEventOfType(rerun, 'run-done').report.outputs.find((o) => o.node === 'save-wav')!.absolutePath;
    const [l1] = decodeWithFfmpeg(wav);
    const [l2] = decodeWithFfmpeg(rewav);
    expect(Buffer.from(l2!.buffer).equals(Buffer.from(l1!.buffer))).toBe(true);
  });
});
