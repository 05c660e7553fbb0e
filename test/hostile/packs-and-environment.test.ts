import { readFileSync, statSync, truncateSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { fileSet } from './file-set.js';

let home: string;
let out: string;
const env = (): Record<string, string> => ({ SA3_HOME: home });
const pack = (): string => join(home, 'packs', 'small-music');

async function freshPack(): Promise<void> {
  rmSync(join(home, 'packs'), { recursive: true, force: true });
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: env() })).code).toBe(0);
}

beforeAll(async () => {
  home = await tempDir('sa3-home-');
  out = await tempDir('sa3-out-');
});

/** A damaged pack is named with what is wrong and how to fix it, never taken for "nothing installed". */
describe('damaged packs', () => {
  const damage: [string, () => void, RegExp][] = [
    [
      'a truncated graph',
      () => truncateSync(join(pack(), 'dit.onnx'), 1000),
      /dit\.onnx is 1000 bytes but the pack says \d+: the file is incomplete or replaced/,
    ],
    ['a missing graph', () => rmSync(join(pack(), 'decoder.onnx')), /decoder\.onnx/],
    ['a graph replaced by a folder', () => (rmSync(join(pack(), 'encoder.onnx')), mkdirSync(join(pack(), 'encoder.onnx'))), /encoder\.onnx/],
    [
      'a manifest cut in half',
      () => writeFileSync(join(pack(), 'sa3-pack.json'), readFileSync(join(pack(), 'sa3-pack.json')).subarray(0, 300)),
      /sa3-pack\.json is not valid JSON/,
    ],
    ['a manifest of another format', () => writeFileSync(join(pack(), 'sa3-pack.json'), '{"format":"zip"}'), /sa3-pack\.json/],
  ];

  for (const [what, spoil, detail] of damage) {
    it(`says which pack is damaged by ${what} and how to fix it, writing nothing`, async () => {
      await freshPack();
      spoil();
      const before = fileSet(home);
      const result = await runCli(['generate', 'low hum', '--duration', '2', '--out', join(out, 'x.wav')], { env: env() });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`pack_damaged: the model pack "small-music" in ${pack()} cannot be used: `);
      expect(result.stderr).toMatch(detail);
      expect(result.stderr).toContain('remove it with "sa3 models remove small-music" and install it again');
      expect(result.stderr).not.toContain('internal error');
      expect(fileSet(home)).toEqual(before);
      expect(fileSet(out)).toEqual([]);

      const listed = await runCli(['models', 'list'], { env: env() });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`small-music +damaged .*`));
      const removed = await runCli(['models', 'remove', 'small-music'], { env: env() });
      expect(removed.code).toBe(0);
      expect(fileSet(join(home, 'packs'))).toEqual([]);
    });
  }

  it('lists a damaged pack in JSON with its code beside the packs that load', async () => {
    await freshPack();
    expect((await runCli(['models', 'testpack', '--id', 'small-sfx'], { env: env() })).code).toBe(0);
    truncateSync(join(pack(), 'dit.onnx'), statSync(join(pack(), 'dit.onnx')).size - 1);
    const listed = await runCli(['models', 'list', '--json'], { env: env() });
    const parsed = JSON.parse(listed.stdout) as { installed: { id: string }[]; damaged: { dir: string; code: string }[] };
    expect(parsed.installed.map((p) => p.id)).toEqual(['small-sfx']);
    expect(parsed.damaged).toEqual([expect.objectContaining({ dir: pack(), code: 'file_size_mismatch' })]);
  });
});

describe('SA3_EXECUTION_PROVIDER', () => {
  for (const value of ['quantum', 'cuda,quantum', 'CPU, npu']) {
    it(`runs on what it knows when given "${value}", saying once what it skipped`, async () => {
      await freshPack();
      const file = join(out, `ep-${value.replace(/\W+/g, '-')}.wav`);
      const result = await runCli(['generate', 'low hum', '--duration', '2', '--out', file], { env: { ...env(), SA3_EXECUTION_PROVIDER: value } });
      expect(result.stderr).not.toContain('internal error');
      expect(result.code).toBe(0);
      expect(result.stderr.match(/SA3_EXECUTION_PROVIDER names unknown execution provider/g)).toHaveLength(1);
      expect(statSync(file).size).toBeGreaterThan(44);
    });
  }
});
