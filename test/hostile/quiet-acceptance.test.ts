import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { examplesDir } from '../helpers/paths.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import { fileSet } from './file-set.js';

let home: string;
let work: string;
const env = (): Record<string, string> => ({ SA3_HOME: home });
const example = readFileSync(join(examplesDir, 'text-to-audio.json'), 'utf8');

/** The example with its prompt text replaced by `text` as raw JSON source. */
const withPromptSource = (text: string): string => example.replace(/"text": "[^"]*"/, `"text": ${text}`);

beforeAll(async () => {
  home = await tempDir('sa3-home-');
  work = await tempDir('sa3-work-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: env() })).code).toBe(0);
});

/** Input that used to be accepted in silence is refused (or read as documented) with one sentence. */
describe('prompt text', () => {
  for (const [what, text] of [
    ['empty', ''],
    ['spaces', '   '],
    ['tabs and newlines', '\t\n \r\n'],
    ['no-break and ideographic spaces', '\u00a0\u3000'],
  ] as const) {
    it(`refuses a prompt that is ${what} in sa3 generate, writing nothing`, async () => {
      const before = fileSet(work);
      const result = await runCli(['generate', text, '--duration', '2', '--out', join(work, 'x.wav')], { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        text === '' ? 'sa3: generate needs a PROMPT' : 'value_empty [node prompt, param text] node "prompt" param "text" must not be empty',
      );
      expect(fileSet(work)).toEqual(before);
    });
  }

  it('refuses a workflow file whose prompt is only white space, naming the node and param', async () => {
    const file = join(work, 'blank-prompt.json');
    writeFileSync(file, withPromptSource('"  \\n "'));
    const result = await runCli(['validate', file], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('value_empty [node prompt, param text] node "prompt" param "text" must not be empty');
  });
});

describe('numbers and options as written', () => {
  it('reads --seed -1 as "pick a seed" and prints the seed it used', async () => {
    const file = join(work, 'seed.wav');
    const result = await runCli(['generate', 'low hum', '--seed', '-1', '--duration', '2', '--out', file], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/seeds: sampler\.seed=\d+/);
  });

  it('reads a negative value given as the next argument and range-checks it', async () => {
    const result = await runCli(['generate', 'low hum', '--cfg', '-2', '--duration', '2', '--out', join(work, 'cfg.wav')], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('param "cfg_scale" is -2, below the minimum 0.5');
  });

  for (const [option, args] of [
    ['out', ['generate', 'low hum', '--out', '']],
    ['out', ['run', join(examplesDir, 'text-to-audio.json'), '--out', ' ']],
    ['report', ['run', join(examplesDir, 'text-to-audio.json'), '--report', '']],
    ['init-audio', ['generate', 'low hum', '--init-audio', '']],
  ] as const) {
    it(`refuses an empty --${option} (${JSON.stringify(args.at(-1))}) instead of writing into the current folder`, async () => {
      const before = fileSet(work);
      const result = await runCli(args, { env: env(), cwd: work });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`sa3: --${option} needs a path, got an empty one`);
      expect(fileSet(work)).toEqual(before);
    });
  }

  it('reports a number too large for a double with its text as written', async () => {
    const file = join(work, 'overflow.json');
    writeFileSync(file, example.replace('"seed": 1234', '"seed": 1e309'));
    const result = await runCli(['validate', file], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('1e309');
    expect(result.stderr).not.toContain('got null');
  });

  it('reports a duplicate key with its name instead of keeping the last value', async () => {
    const file = join(work, 'duplicate.json');
    writeFileSync(file, example.replace('"seed": 1234', '"seed": 1234, "seed": 99'));
    const result = await runCli(['validate', file], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"seed"');
    expect(result.stderr).toMatch(/duplicate/i);
  });

  it('accepts a workflow file that starts with a byte order mark', async () => {
    const file = join(work, 'bom.json');
    writeFileSync(file, '\ufeff' + example);
    const result = await runCli(['validate', file], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('the prediction API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.server.close();
  });

  for (const prompt of ['', '   ', '\n\t']) {
    it(`answers 422 naming the prompt field for ${JSON.stringify(prompt)}, and keeps serving`, async () => {
      const before = fileSet(server.home);
      const answer = await server.request('/predictions', { method: 'POST', json: { input: { prompt, duration: 2 } } });
      expect(answer.status).toBe(422);
      expect(answer.body).toEqual({
        detail: [{ loc: ['body', 'input', 'prompt'], msg: 'node "prompt" param "text" must not be empty', type: 'value_error.value_empty' }],
      });
      expect(fileSet(server.home)).toEqual(before);
      expect((await server.request('/health-check')).status).toBe(200);
    });
  }

  it('runs with a negative_prompt of only spaces as with none', async () => {
    const answer = await server.request('/predictions', {
      method: 'POST',
      json: { input: { prompt: 'low hum', negative_prompt: '   ', duration: 2, seed: 7 } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'succeeded' });
  });
});
