import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimCacheAndRemoveLeftovers } from '../../src/cli/cache-leftovers.js';
import { deadPid } from '../helpers/dead-pid.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cacheWithLeftovers(users: number[]): string {
  const root = mkdtempSync(join(tmpdir(), 'sa3-cache-test-'));
  made.push(root);
  mkdirSync(join(root, 'results', 'v1-abc'), { recursive: true });
  writeFileSync(join(root, 'results', 'v1-abc', 'f00d.bin'), 'kept');
  writeFileSync(join(root, 'results', 'v1-abc', '.f00d.1a2b3c4d.tmp'), 'half');
  writeFileSync(join(root, 'results', '.index.json.5e6f7a8b.tmp'), 'half');
  mkdirSync(join(root, '.users'));
  for (const pid of users) writeFileSync(join(root, '.users', String(pid)), '');
  return root;
}

describe('the result cache after a killed process', () => {
  it('removes the .tmp files when no other running process uses the cache, and forgets users that are gone', async () => {
    const dead = deadPid();
    const root = cacheWithLeftovers([dead]);
    const removed = await claimCacheAndRemoveLeftovers(root);
    expect(removed.sort()).toEqual([join(root, 'results', '.index.json.5e6f7a8b.tmp'), join(root, 'results', 'v1-abc', '.f00d.1a2b3c4d.tmp')]);
    expect(readdirSync(join(root, 'results', 'v1-abc'))).toEqual(['f00d.bin']);
    expect(readdirSync(join(root, '.users'))).toEqual([String(process.pid)]);
  });

  it('keeps the .tmp files while another running process uses the cache: they may be its writes in progress', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const root = cacheWithLeftovers([other.pid!]);
      expect(await claimCacheAndRemoveLeftovers(root)).toEqual([]);
      expect(existsSync(join(root, 'results', 'v1-abc', '.f00d.1a2b3c4d.tmp'))).toBe(true);
      expect(readdirSync(join(root, '.users')).sort()).toEqual([String(other.pid), String(process.pid)].sort());
    } finally {
      other.kill('SIGKILL');
    }
  });
});
