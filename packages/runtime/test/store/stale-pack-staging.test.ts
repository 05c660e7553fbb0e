import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packHome, removeStalePackStaging } from '../../src/store/index.js';
import { deadPid } from '../helpers/dead-pid.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(path: string): void {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, 'graph.onnx'), 'x');
}

function lock(staging: string, id: string, pid: number): void {
  writeFileSync(join(staging, `${id}.lock`), JSON.stringify({ pid, host: hostname(), started: new Date().toISOString(), token: 'abcd' }));
}

describe('pack staging left by killed pack commands', () => {
  it('removes testpack, convert and import folders and half-converted pulls of dead processes; keeps downloads and what running ones use', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sa3-home-'));
    made.push(root);
    const home = packHome(root);
    const staging = home.staging;
    const dead = deadPid();
    const live = process.pid;
    folder(join(staging, `.testpack-${dead}-sa3-test-0a1b2c3d`));
    folder(join(staging, `.testpack-${live}-mine-0a1b2c3d`));
    folder(join(staging, `.convert-${dead}-ft-0a1b2c3d`));
    folder(join(staging, `..convert-${dead}-ft-0a1b2c3d.converting-Xy12Ab`));
    // An import holds its pack's lock throughout: a dead or missing holder means it was killed.
    folder(join(staging, '.import-small-music-0a1b2c3d'));
    lock(staging, 'small-music', dead);
    folder(join(staging, '.import-small-sfx-0a1b2c3d'));
    lock(staging, 'small-sfx', live);
    folder(join(staging, '.import-lonely-pack-0a1b2c3d'));
    // A pull: its downloads are kept for the next pull to resume; a half-converted pack goes unless the pull still runs.
    folder(join(staging, 'medium', 'partial'));
    folder(join(staging, 'medium', 'checkpoint'));
    folder(join(staging, 'medium', '.pack.converting-AbCdEf'));
    lock(staging, 'medium', dead);
    folder(join(staging, 'medium-base', 'checkpoint'));
    folder(join(staging, 'medium-base', '.pack.converting-GhIjKl'));
    lock(staging, 'medium-base', live);

    const removed = await removeStalePackStaging(home);

    expect(removed.map((p) => p.slice(staging.length + 1)).sort()).toEqual(
      [
        `.testpack-${dead}-sa3-test-0a1b2c3d`,
        `.convert-${dead}-ft-0a1b2c3d`,
        `..convert-${dead}-ft-0a1b2c3d.converting-Xy12Ab`,
        '.import-small-music-0a1b2c3d',
        '.import-lonely-pack-0a1b2c3d',
        'medium/.pack.converting-AbCdEf',
      ].sort(),
    );
    expect(readdirSync(staging).sort()).toEqual(
      [
        `.testpack-${live}-mine-0a1b2c3d`,
        '.import-small-sfx-0a1b2c3d',
        'medium',
        'medium-base',
        'medium-base.lock',
        'medium.lock',
        'small-music.lock',
        'small-sfx.lock',
      ].sort(),
    );
    expect(readdirSync(join(staging, 'medium')).sort()).toEqual(['checkpoint', 'partial']);
    expect(readdirSync(join(staging, 'medium-base')).sort()).toEqual(['.pack.converting-GhIjKl', 'checkpoint']);
  });

  it('an SA3_HOME without staging is nothing to clean', async () => {
    expect(await removeStalePackStaging(packHome(join(tmpdir(), 'sa3-no-such-home')))).toEqual([]);
  });
});
