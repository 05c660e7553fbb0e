import { copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventOfType, runCli, tempDir, validationOf } from '../helpers/cli.js';
import { examplesDir } from '../helpers/paths.js';

const warning = 'node "convert" param "mp3_bitrate" is set, but it is used only when format is mp3 (format is "wav"), so it is ignored';

let dir = '';
let file = '';

beforeAll(async () => {
  dir = await tempDir('sa3-conditional-');
  await copyFile(join(examplesDir, 'audio/pluck-a.wav'), join(dir, 'tone.wav'));
  file = join(dir, 'wav-with-bitrate.json');
  const workflow = {
    format: 'sa3-workflow',
    version: 1,
    name: 'wav-with-bitrate',
    nodes: [
      { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'tone.wav' } },
      { id: 'trim', type: 'audio.trim', typeVersion: 1, params: { start_seconds: 0, end_seconds: 0.5 } },
      { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'wav', mp3_bitrate: 320 } },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
    ],
    connections: [
      { from: ['load', 'audio'], to: ['trim', 'audio'] },
      { from: ['trim', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    ],
  };
  await writeFile(file, JSON.stringify(workflow));
});

describe('params that apply only when another param has some values', () => {
  it('sa3 nodes audio.convert says when each format-specific param applies', async () => {
    const { code, stdout } = await runCli(['nodes', 'audio.convert']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/param {2}mp3_bitrate: enum, 64\|96\|128\|160\|192\|224\|256\|320, default 192, only when format is mp3\n/);
    expect(stdout).toMatch(/param {2}wav_bit_depth: .*, only when format is wav\n/);
    expect(stdout).toMatch(/param {2}flac_compression: .*, only when format is flac\n/);
    expect(stdout).toMatch(/param {2}ogg_quality: .*, only when format is ogg\n/);
    expect(stdout).toMatch(/param {2}format: enum, wav\|mp3\|flac\|ogg, default "wav"\n/);
  });

  it('validate: an MP3 bitrate on a WAV convert is valid, with one warning sentence', async () => {
    const { code, stdout, stderr } = await runCli(['validate', file]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^valid .*wav-with-bitrate\.json: 4 nodes, 3 wires\n$/);
    expect(stderr).toContain('1 warning\n');
    expect(stderr.split('\n').filter((line) => line.includes('param_not_applicable'))).toEqual([
      `  param_not_applicable [node convert, param mp3_bitrate] ${warning}`,
    ]);
  });

  it('validate --json: valid, no problems, the warning in its own list', async () => {
    const result = await runCli(['validate', file, '--json']);
    const { code, events } = result;
    expect(code).toBe(0);
    expect(events[0]).toMatchObject({ valid: true, problems: [] });
    expect(validationOf(result).warnings).toEqual([{ code: 'param_not_applicable', message: warning, node: 'convert', param: 'mp3_bitrate' }]);
  });

  it('run prints the warning and makes the WAV all the same', async () => {
    const out = await tempDir('sa3-conditional-out-');
    const { code, stderr } = await runCli(['run', file, '--out', out]);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(warning);
    expect((await readdir(out)).filter((f) => f.endsWith('.wav'))).toHaveLength(1);
  });

  it('run --set of a param for another format warns and exits 0; stdout stays JSON lines', async () => {
    const out = await tempDir('sa3-conditional-out-');
    const result = await runCli(['run', file, '--json', '--out', out, '--set', 'convert.ogg_quality=7', '--set', 'convert.mp3_bitrate=128']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('2 warnings');
    expect(result.stderr).toContain('param "ogg_quality" is set, but it is used only when format is ogg');
    expect(
      result.stdout
        .trim()
        .split('\n')
        .every((line) => line.startsWith('{')),
    ).toBe(true);
    const done = eventOfType(result, 'run-done');
    expect(done?.report.status).toBe('succeeded');
  });
});
