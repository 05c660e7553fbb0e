import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsErrorSentence, uncaughtFsErrorSentence } from '../../src/files/index.js';

async function errorOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('the action did not fail');
}

describe('fsErrorSentence', () => {
  const root = mkdtempSync(join(tmpdir(), 'sa3-fs-errors-'));
  mkdirSync(join(root, 'folder'));
  writeFileSync(join(root, 'file'), 'x');

  it('names the path and says a folder is not a file', async () => {
    const error = await errorOf(() => writeFile(join(root, 'folder'), 'x'));
    expect(fsErrorSentence(error, 'cannot write the report')).toBe(`cannot write the report ${join(root, 'folder')}: it is a folder, not a file`);
  });

  it('says a missing folder does not exist', async () => {
    const error = await errorOf(() => writeFile(join(root, 'missing', 'r.json'), 'x'));
    expect(fsErrorSentence(error, 'cannot read')).toBe(`cannot read ${join(root, 'missing', 'r.json')}: it does not exist`);
    expect(fsErrorSentence(error, 'cannot write', undefined, 'write')).toBe(
      `cannot write ${join(root, 'missing', 'r.json')}: the folder it goes in does not exist`,
    );
  });

  it('says a file in the middle of a path is not a folder', async () => {
    const error = await errorOf(() => writeFile(join(root, 'file', 'r.json'), 'x'));
    expect(fsErrorSentence(error, 'cannot write')).toBe(`cannot write ${join(root, 'file', 'r.json')}: a part of the path is a file, not a folder`);
  });

  it('says the disk is full, naming the path the caller gives when the error names none', async () => {
    const error = await errorOf(() => writeFile('/dev/full', 'x'));
    expect(fsErrorSentence(error, 'cannot write')).toBe('cannot write: the disk is full');
    expect(fsErrorSentence(error, 'cannot write', '/dev/full')).toBe('cannot write /dev/full: the disk is full');
  });

  it('explains a read-only file system and permission errors by their code', () => {
    const readOnly = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS', path: '/ro/out.wav' });
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(fsErrorSentence(readOnly, 'cannot write the output')).toBe('cannot write the output /ro/out.wav: the file system is read-only');
    expect(fsErrorSentence(denied, 'cannot write the output', '/x/out.wav')).toBe('cannot write the output /x/out.wav: permission denied');
  });

  it('words an error nothing closer explained from its system call', async () => {
    const folderOverFile = await errorOf(() => mkdir(join(root, 'file', 'sub'), { recursive: true }));
    expect(uncaughtFsErrorSentence(folderOverFile)).toBe(`cannot create the folder ${join(root, 'file', 'sub')}: a part of the path is a file, not a folder`);
    const fileInTheWay = await errorOf(() => mkdir(join(root, 'file')));
    expect(uncaughtFsErrorSentence(fileInTheWay)).toBe(`cannot create the folder ${join(root, 'file')}: it is a file, not a folder`);
    const missing = await errorOf(() => readFile(join(root, 'nothing.json')));
    expect(uncaughtFsErrorSentence(missing)).toBe(`cannot open ${join(root, 'nothing.json')}: it does not exist`);
    expect(uncaughtFsErrorSentence(new Error('boom'))).toBeNull();
  });

  it('leaves errors that are not file-system errors to the caller', () => {
    expect(fsErrorSentence(new Error('boom'), 'cannot write')).toBeNull();
    expect(fsErrorSentence(Object.assign(new Error('odd'), { code: 'ERR_SOMETHING' }), 'cannot write')).toBeNull();
    expect(fsErrorSentence('EROFS', 'cannot write')).toBeNull();
  });
});
