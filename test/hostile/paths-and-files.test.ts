import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { examplesDir } from '../helpers/paths.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import { fileSet } from './file-set.js';

let home: string;
let work: string;
const env = (): Record<string, string> => ({ SA3_HOME: home });
const example = join(examplesDir, 'text-to-audio.json');
/** A short run of the text-to-audio example. */
const run = (...args: string[]) => runCli(['run', example, '--set', 'generate.duration=2', ...args], { env: env(), cwd: work });

beforeAll(async () => {
  home = await tempDir('sa3-home-');
  work = await tempDir('sa3-work-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: env() })).code).toBe(0);
});

/** Output names never land outside the output folder, whatever links it holds. */
describe('output names', () => {
  for (const [what, filename, message] of [
    ['through a link to another folder', 'link/escaped.{ext}', 'the output name "link/escaped.mp3" leads out of the output directory through a symbolic link'],
    [
      'through a link two folders down',
      'deeper/link/escaped.{ext}',
      'the output name "deeper/link/escaped.mp3" leads out of the output directory through a symbolic link',
    ],
  ] as const) {
    it(`refuses an audio.save name that leads out ${what}, writing nowhere`, async () => {
      const out = await tempDir('sa3-out-');
      const outside = await tempDir('sa3-outside-');
      symlinkSync(outside, join(out, 'link'));
      mkdirSync(join(out, 'deeper'));
      symlinkSync(outside, join(out, 'deeper', 'link'));
      const before = fileSet(out);
      const result = await run('--set', `save.filename=${filename}`, '--out', out);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('no output was written');
      expect(fileSet(out)).toEqual(before);
      expect(fileSet(outside)).toEqual([]);
    });
  }

  for (const [what, filename, message] of [
    ['up with ..', '../escaped.{ext}', 'climbs out of the output directory with ".."; it must stay inside it'],
    ['as an absolute path', '/tmp/escaped-{seed}.{ext}', 'is an absolute path; it must be a name inside the output directory'],
  ] as const) {
    it(`refuses an audio.save name that leads out ${what} before running`, async () => {
      const out = await tempDir('sa3-out-');
      const result = await run('--set', `save.filename=${filename}`, '--out', out);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`output_path_escapes [node save, param filename] node "save" param "filename" ${message}`);
      expect(fileSet(out)).toEqual([]);
    });
  }
});

describe('file-system errors in one sentence', () => {
  it('checks the --report path before running: a folder there', async () => {
    mkdirSync(join(work, 'report-folder'), { recursive: true });
    const before = fileSet(work);
    const result = await run('--out', join(work, 'never'), '--report', join(work, 'report-folder'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write the report ${join(work, 'report-folder')}: it is a folder, not a file; nothing was run`);
    expect(fileSet(work)).toEqual(before);
  });

  it('checks the --report path before running: its folder missing', async () => {
    const before = fileSet(work);
    const result = await run('--out', join(work, 'never'), '--report', join(work, 'missing', 'r.json'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`cannot write the report into ${join(work, 'missing')}: it does not exist; nothing was run`);
    expect(fileSet(work)).toEqual(before);
  });

  it('says a report it could not write after the outputs, which stay', async () => {
    const out = join(work, 'kept');
    const result = await run('--out', out, '--report', '/dev/full');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot write the report /dev/full: the disk is full; the outputs listed were written');
    expect(result.stdout.trim()).toBe(join(out, 'text-to-audio-1234.mp3'));
    expect(fileSet(out)).toEqual(['text-to-audio-1234.mp3']);
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  for (const [what, out, message] of [
    ['a file', () => join(work, 'a-file'), (p: string) => `cannot write outputs into ${p}: it is a file, not a folder; nothing was run`],
    [
      'under a file',
      () => join(work, 'a-file', 'sub'),
      (p: string) => `cannot create the output folder ${p}: a part of the path is a file, not a folder; nothing was run`,
    ],
  ] as const) {
    it(`refuses an output folder that is ${what}`, async () => {
      writeFileSync(join(work, 'a-file'), 'x');
      const before = fileSet(work);
      const result = await run('--out', out());
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message(out()));
      expect(fileSet(work)).toEqual(before);
      expect(readFileSync(join(work, 'a-file'), 'utf8')).toBe('x');
    });
  }

  for (const [what, out, message] of [
    ['a folder', () => work, (p: string) => `sa3 generate: --out ${p} is a folder; give the audio file to write, e.g. ${join(p, 'sa3-output.wav')}`],
    [
      'a device',
      () => '/dev/full',
      () => `sa3 generate: --out /dev/full is a device, pipe or socket; give the audio file to write, e.g. ${join(work, 'sa3-output.wav')}`,
    ],
  ] as const) {
    it(`refuses sa3 generate --out ${what}`, async () => {
      const before = fileSet(work);
      const result = await runCli(['generate', 'low hum', '--duration', '2', '--out', out()], { env: env(), cwd: work });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message(out()));
      expect(fileSet(work)).toEqual(before);
      expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
    });
  }

  describe('sa3 extract --out', () => {
    let saved: string;
    beforeAll(async () => {
      const out = join(work, 'extract-source');
      expect((await run('--out', out)).code).toBe(0);
      saved = join(out, 'text-to-audio-1234.mp3');
    });

    for (const [what, target, reason] of [
      ['a folder', () => join(work, 'report-folder'), 'it is a folder, not a file'],
      ['in a missing folder', () => join(work, 'missing', 'w.json'), 'the folder it goes in does not exist'],
      ['under a file', () => join(work, 'a-file', 'w.json'), 'a part of the path is a file, not a folder'],
      ['a full disk', () => '/dev/full', 'the disk is full'],
    ] as const) {
      it(`says why it cannot write into ${what}`, async () => {
        mkdirSync(join(work, 'report-folder'), { recursive: true });
        writeFileSync(join(work, 'a-file'), 'x');
        const before = fileSet(work);
        const result = await runCli(['extract', saved, '--out', target()], { env: env() });
        expect(result.code).toBe(1);
        expect(result.stderr).toBe(`sa3: cannot write the workflow to ${target()}: ${reason}; nothing was written\n`);
        expect(fileSet(work)).toEqual(before);
        expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
      });
    }

    it('refuses to read a device instead of reading it forever', async () => {
      const result = await runCli(['extract', '/dev/zero'], { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'sa3: /dev/zero is not a regular file (a device, pipe or socket); give a workflow .json file (or an audio file saved by sa3)\n',
      );
    });
  });

  it('names the folder when SA3_HOME is a file, without an internal error', async () => {
    const file = join(work, 'home-file');
    writeFileSync(file, 'x');
    const result = await runCli(['models', 'testpack'], { env: { SA3_HOME: file } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^sa3: cannot [a-z ]+ ${file}/staging/\\S+: a part of the path is a file, not a folder\\n$`));
    expect(readFileSync(file, 'utf8')).toBe('x');
  });
});

describe('pack ids', () => {
  for (const id of ['..', '.', '../x', 'a/b', '/etc', 'small-music/..', ' small-music']) {
    it(`refuses to remove ${JSON.stringify(id)}, touching nothing`, async () => {
      const before = fileSet(home);
      const result = await runCli(['models', 'remove', id], { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`sa3 models: ${JSON.stringify(id)} is not a pack id`);
      expect(result.stderr).toContain('nothing was removed');
      expect(fileSet(home)).toEqual(before);
    });
  }
});

describe('prediction ids', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.server.close();
  });

  it('refuses a PUT /predictions with the id of a workflow run, leaving that run as it was', async () => {
    const workflow = JSON.parse(readFileSync(example, 'utf8')) as unknown;
    const created = await server.request('/api/runs', { method: 'POST', json: { workflow, set: { 'generate.duration': 2 } } });
    expect(created.status).toBe(202);
    const id = (created.body as { id: string }).id;
    const run = server.server.runs.get(id)!;
    await run.done;
    const before = await server.request(`/api/runs/${id}`);
    const put = await server.request(`/predictions/${id}`, { method: 'PUT', json: { input: { prompt: 'low hum', duration: 2 } } });
    expect(put.status).toBe(409);
    expect(put.body).toEqual({ detail: `the id "${id}" belongs to another run on this server; choose a new id` });
    expect(await server.request(`/api/runs/${id}`)).toEqual(before);
    expect((await server.request('/health-check')).status).toBe(200);
  });
});

describe('the server on a disk that refuses', () => {
  let server: TestServer;
  let uploads: string;
  beforeAll(async () => {
    uploads = join(await tempDir('sa3-disk-'), 'uploads');
    writeFileSync(uploads, 'x');
    server = await startTestServer({ uploadDir: uploads });
  });
  afterAll(async () => {
    await server.server.close();
  });

  it('says in one sentence what it could not do on its own disk, and keeps serving', async () => {
    const answer = await server.request('/api/uploads?name=a.wav', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(64) });
    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({ detail: `the server cannot create the folder ${uploads}: it is a file, not a folder` });
    expect(readFileSync(uploads, 'utf8')).toBe('x');
    expect((await server.request('/health-check')).status).toBe(200);
  });
});
