import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  holdTempPath,
  outputStagingName,
  ownedPrefix,
  processAlive,
  releaseTempPath,
  removeHeldTempPathsSync,
  removeStaleLeftovers,
  uploadPartialName,
} from '../../src/files/index.js';
import { deadPid } from '../helpers/dead-pid.js';

const made: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sa3-leftovers-test-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function put(path: string, folder = true): void {
  if (folder) {
    mkdirSync(path, { recursive: true });
    writeFileSync(join(path, 'inside'), 'x');
  } else writeFileSync(path, 'x');
}

describe('leftovers of processes that are gone', () => {
  it('names carry the pid of the process that makes them', () => {
    expect(ownedPrefix('sa3-audio-')).toBe(`sa3-audio-${process.pid}-`);
    expect(outputStagingName('run-1')).toBe(`.sa3-staging-${process.pid}-run-1`);
    expect(uploadPartialName('abc.wav')).toBe(`.abc.wav.${process.pid}.partial`);
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(deadPid())).toBe(false);
  });

  it('removes temp folders, output staging and partial uploads of dead processes, and keeps those of running ones', async () => {
    const dead = deadPid();
    const live = process.pid;
    const temp = scratch();
    const out = scratch();
    const runs = scratch();
    const uploads = scratch();
    put(join(temp, `sa3-audio-${dead}-AbC123`));
    put(join(temp, `sa3-audio-${live}-XyZ789`));
    put(join(temp, 'sa3-audio-scratch-keep'));
    put(join(temp, 'unrelated'));
    put(join(out, `.sa3-staging-${dead}-r1`));
    put(join(out, `.sa3-staging-${live}-r2`));
    put(join(out, 'song.wav'), false);
    put(join(runs, 'run-a', `.sa3-staging-${dead}-run-a`));
    put(join(runs, 'run-b', `.sa3-staging-${dead}-run-b`));
    put(join(runs, 'run-b', 'kept.wav'), false);
    put(join(runs, 'run-c', `.sa3-staging-${live}-run-c`));
    put(join(uploads, `.0123abcd.wav.${dead}.partial`), false);
    put(join(uploads, `.4567cdef.${live}.partial`), false);
    put(join(uploads, '89abcdef.wav'), false);

    const removed = await removeStaleLeftovers({ tempDir: temp, outputDirs: [out], runOutputRoot: runs, uploadDir: uploads });

    expect(removed.sort()).toEqual(
      [
        join(temp, `sa3-audio-${dead}-AbC123`),
        join(out, `.sa3-staging-${dead}-r1`),
        join(runs, 'run-a', `.sa3-staging-${dead}-run-a`),
        join(runs, 'run-b', `.sa3-staging-${dead}-run-b`),
        join(uploads, `.0123abcd.wav.${dead}.partial`),
      ].sort(),
    );
    expect(readdirSync(temp).sort()).toEqual([`sa3-audio-${live}-XyZ789`, 'sa3-audio-scratch-keep', 'unrelated']);
    expect(readdirSync(out).sort()).toEqual([`.sa3-staging-${live}-r2`, 'song.wav']);
    expect(readdirSync(runs).sort()).toEqual(['run-a', 'run-b', 'run-c']);
    expect(readdirSync(join(runs, 'run-a'))).toEqual([]);
    expect(readdirSync(join(runs, 'run-b'))).toEqual(['kept.wav']);
    expect(readdirSync(uploads).sort()).toEqual([`.4567cdef.${live}.partial`, '89abcdef.wav']);
  });

  it("with ownPidIsPast, what carries this process's pid counts as an earlier process's (a restarted container's pid 1)", async () => {
    const temp = scratch();
    put(join(temp, `sa3-audio-${process.pid}-AbC123`));
    expect(await removeStaleLeftovers({ tempDir: temp })).toEqual([]);
    expect(await removeStaleLeftovers({ tempDir: temp, ownPidIsPast: true })).toEqual([join(temp, `sa3-audio-${process.pid}-AbC123`)]);
  });

  it('a missing folder is nothing to clean', async () => {
    const gone = join(scratch(), 'not-there');
    expect(await removeStaleLeftovers({ tempDir: gone, outputDirs: [gone], runOutputRoot: gone, uploadDir: gone })).toEqual([]);
  });

  it('paths held by this process are removed at once when it has to stop, and released ones are not', () => {
    const dir = scratch();
    const held = join(dir, 'held');
    const released = join(dir, 'released');
    put(held);
    put(released);
    holdTempPath(held);
    holdTempPath(released);
    releaseTempPath(released);
    expect(removeHeldTempPathsSync()).toEqual([held]);
    expect(existsSync(held)).toBe(false);
    expect(existsSync(released)).toBe(true);
    expect(removeHeldTempPathsSync()).toEqual([]);
  });
});
