import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsErrorSentence, writeFileAtomic } from '../../src/files/index.js';

describe('writeFileAtomic', () => {
  const root = mkdtempSync(join(tmpdir(), 'sa3-atomic-'));

  it('replaces a file whole and leaves no temp file', async () => {
    const file = join(root, 'a.json');
    writeFileSync(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(root)).toEqual(['a.json']);
  });

  it('writes into a device reached through a link instead of replacing the link', async () => {
    const dir = mkdtempSync(join(root, 'device-'));
    symlinkSync('/dev/null', join(dir, 'sink'));
    await writeFileAtomic(join(dir, 'sink'), 'x');
    expect(lstatSync(join(dir, 'sink')).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir)).toEqual(['sink']);
  });

  it('refuses a folder before writing anything', async () => {
    const dir = mkdtempSync(join(root, 'folder-'));
    mkdirSync(join(dir, 'out'));
    const error = await writeFileAtomic(join(dir, 'out'), 'x').catch((e: unknown) => e);
    expect(fsErrorSentence(error, 'cannot write')).toBe(`cannot write ${join(dir, 'out')}: it is a folder, not a file`);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('names the file asked for, not its temp file, when the folder is missing or is a file', async () => {
    const missing = await writeFileAtomic(join(root, 'nowhere', 'r.json'), 'x').catch((e: unknown) => e);
    expect(fsErrorSentence(missing, 'cannot write', undefined, 'write')).toBe(
      `cannot write ${join(root, 'nowhere', 'r.json')}: the folder it goes in does not exist`,
    );
    const underFile = await writeFileAtomic(join(root, 'a.json', 'r.json'), 'x').catch((e: unknown) => e);
    expect(fsErrorSentence(underFile, 'cannot write')).toBe(`cannot write ${join(root, 'a.json', 'r.json')}: a part of the path is a file, not a folder`);
  });
});
