import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confinedPath } from '../../src/files/index.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'sa3-confine-')));
const root = join(base, 'root');
const outside = join(base, 'outside');
mkdirSync(join(root, 'inner'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(root, 'inner', 'a.wav'), 'a');
writeFileSync(join(outside, 'secret.wav'), 's');
symlinkSync(join(outside, 'secret.wav'), join(root, 'to-secret.wav'));
symlinkSync(outside, join(root, 'to-outside'));
symlinkSync(join(root, 'inner'), join(root, 'to-inner'));
symlinkSync(root, join(base, 'root-link'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('confinedPath', () => {
  it('gives the real path of a file inside the root, existing or not', async () => {
    expect(await confinedPath(root, 'inner/a.wav')).toBe(join(root, 'inner', 'a.wav'));
    expect(await confinedPath(root, 'inner/new/b.wav')).toBe(join(root, 'inner', 'new', 'b.wav'));
    expect(await confinedPath(root, join(root, 'inner', 'a.wav'))).toBe(join(root, 'inner', 'a.wav'));
  });

  it('follows symlinks that stay inside, and a root that is itself a symlink', async () => {
    expect(await confinedPath(root, 'to-inner/a.wav')).toBe(join(root, 'inner', 'a.wav'));
    expect(await confinedPath(join(base, 'root-link'), 'inner/a.wav')).toBe(join(root, 'inner', 'a.wav'));
  });

  it.each([
    ['a parent step', '../outside/secret.wav'],
    ['steps that come back in only after leaving', 'inner/../../root/../outside/secret.wav'],
    ['an absolute path elsewhere', '/etc/passwd'],
    ['a symlinked file pointing out', 'to-secret.wav'],
    ['a file through a symlinked folder pointing out', 'to-outside/secret.wav'],
    ['a file not yet written through a symlinked folder pointing out', 'to-outside/new/c.wav'],
  ])('refuses %s', async (_what, path) => {
    expect(await confinedPath(root, path)).toBeNull();
  });
});
