import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DATA_URI_CHARS, MAX_TEXT_PARAM_CHARS, MAX_WORKFLOW_CONNECTIONS, type ErrorBody, type RunState, type UploadReceipt } from '@sa3/nodes';
import { MAX_SOURCE_SECONDS } from '@sa3/runtime';
import { runCli, tempDir } from '../helpers/cli.js';
import { cliPath } from '../helpers/paths.js';
import { fileSet } from './file-set.js';

/*
 * Inputs built to exhaust the stack, the memory or the time of sa3, through the CLI and a real
 * `sa3 serve` process: each gets its one sentence and exit code or status, the server answers
 * afterwards, and the output folders hold exactly what they held before (or the one new output).
 */

type Json = Record<string, unknown>;

const workflow = (nodes: Json[], connections: Json[], extra: Json = {}): Json => ({ format: 'sa3-workflow', version: 1, ...extra, nodes, connections });
const node = (id: string, type: string, params: Json = {}): Json => ({ id, type, typeVersion: 1, params });
const wire = (from: string, output: string, to: string, input: string): Json => ({ from: [from, output], to: [to, input] });

/** load -> `length` audio.gain nodes -> save, or with `loop` the gains alone, the last feeding the first. */
function gainChain(length: number, source: string, options: { loop?: boolean } = {}): Json {
  const nodes: Json[] = [];
  const connections: Json[] = [];
  if (!options.loop) nodes.push(node('load', 'audio.load', { source }));
  for (let i = 0; i < length; i++) {
    nodes.push(node(`g${i}`, 'audio.gain', { gain_db: 0 }));
    const from = i === 0 ? (options.loop ? `g${length - 1}` : 'load') : `g${i - 1}`;
    connections.push(wire(from, 'audio', `g${i}`, 'audio'));
  }
  nodes.push(node('save', 'audio.save', { filename: 'out.{ext}' }));
  connections.push(wire(`g${length - 1}`, 'audio', 'save', 'audio'));
  return workflow(nodes, connections);
}

const loadAndSave = (source: string): Json =>
  workflow([node('load', 'audio.load', { source }), node('save', 'audio.save', { filename: 'out.{ext}' })], [wire('load', 'audio', 'save', 'audio')]);

const promptWorkflow = (text: string): Json =>
  workflow(
    [node('prompt', 'sa3.prompt', { text }), node('gen', 'sa3.generate'), node('save', 'audio.save')],
    [wire('prompt', 'conditioning', 'gen', 'prompt'), wire('gen', 'audio', 'save', 'audio')],
  );

/** 16-bit stereo 44.1 kHz WAV of a quiet tone, with a JUNK chunk of `junkBytes` (even) before the samples. */
function toneWav(frames: number, junkBytes = 0): Buffer {
  const dataBytes = frames * 4;
  const junk = junkBytes > 0 ? 8 + junkBytes : 0;
  const wav = Buffer.alloc(12 + 24 + junk + 8 + dataBytes);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(wav.length - 8, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20);
  wav.writeUInt16LE(2, 22);
  wav.writeUInt32LE(44_100, 24);
  wav.writeUInt32LE(44_100 * 4, 28);
  wav.writeUInt16LE(4, 32);
  wav.writeUInt16LE(16, 34);
  let p = 36;
  if (junk > 0) {
    wav.write('JUNK', p, 'latin1');
    wav.writeUInt32LE(junkBytes, p + 4);
    p += junk;
  }
  wav.write('data', p, 'latin1');
  wav.writeUInt32LE(dataBytes, p + 4);
  p += 8;
  for (let i = 0; i < frames; i++) {
    const sample = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 44_100));
    wav.writeInt16LE(sample, p);
    wav.writeInt16LE(sample, p + 2);
    p += 4;
  }
  return wav;
}

/**
 * A data: URI of a WAV exactly MAX_DATA_URI_CHARS long: the prefix is 24 characters and the WAV a
 * multiple of 3 bytes, padded to length with a JUNK chunk (which decoders skip).
 */
function dataUriAtTheLimit(): string {
  const prefix = 'data:audio/x-wav;base64,';
  const bytes = ((MAX_DATA_URI_CHARS - prefix.length) / 4) * 3;
  const frames = 4410;
  const wav = toneWav(frames, bytes - (12 + 24 + 8 + 8 + frames * 4));
  const uri = prefix + wav.toString('base64');
  expect(uri.length).toBe(MAX_DATA_URI_CHARS);
  return uri;
}

/** Rewrites a FLAC file's STREAMINFO so that it claims `seconds` of audio, whatever its frames hold. */
function flacClaiming(flac: Buffer, seconds: number): Buffer {
  const out = Buffer.from(flac);
  expect(out.toString('latin1', 0, 4)).toBe('fLaC');
  // STREAMINFO data starts at 8; its bits 80-143 are rate (20), channels (3), bits (5), total samples (36).
  const packed = out.readBigUInt64BE(18);
  out.writeBigUInt64BE(((packed >> 36n) << 36n) | BigInt(seconds * 44_100), 18);
  return out;
}

const LIMIT = `${MAX_SOURCE_SECONDS} s (${MAX_SOURCE_SECONDS / 60} min) an audio source may last`;
const tooLongByHeader = (shown: string) => `${shown} lasts 3600.0 s by its header, more than the ${LIMIT}; cut it shorter first`;
const tooLongDecoded = (shown: string) => `${shown} decodes to more than the ${LIMIT} (its header says 10.0 s); cut it shorter first`;
const dataUriTooLarge = (chars: number) =>
  `node "load" param "source" is a data: URI of ${chars.toLocaleString('en-US')} characters, more than the 50,331,648 characters (48 MiB) a data: URI may have; give a file path or upload the audio instead`;
const promptTooLong = `node "prompt" param "text" is 10,001 characters long, more than the 10,000 a text param may hold (the text encoder reads about the first thousand)`;
const tooManyWires = `the workflow has ${MAX_WORKFLOW_CONNECTIONS + 1} wires; sa3 runs workflows of at most ${MAX_WORKFLOW_CONNECTIONS}`;
/** The loop of 50,000 gains as validation names it: both ends, the middle counted. */
const loopMessage =
  'the wires form a loop: g0 -> g1 -> g2 -> g3 -> g4 -> (49990 more nodes) -> g49995 -> g49996 -> g49997 -> g49998 -> g49999 -> g0; a workflow must flow one way';
const deepBodyMessage = (column: number) =>
  `the request body nests arrays and objects deeper than 65 levels (at line 1, column ${column}); no request needs more`;
/** "data:audio/flac;base64,..." as messages show a long source: its first 59 characters and an ellipsis. */
const shownUri = (uri: string) => JSON.stringify(`${uri.slice(0, 59)}…`);

let dir: string;
let files: Record<string, string>;
let atLimitUri: string;
let lyingFlac: Buffer;
let honestFlac: Buffer;

beforeAll(async () => {
  dir = await tempDir('sa3-limits-');
  const flacPath = join(dir, 'silent1h.flac');
  execFileSync('ffmpeg', ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '3600', '-c:a', 'flac', '-y', flacPath]);
  honestFlac = await readFile(flacPath);
  lyingFlac = flacClaiming(honestFlac, 10);
  await writeFile(join(dir, 'lying1h.flac'), lyingFlac);
  await writeFile(join(dir, 'tone.wav'), toneWav(441));
  atLimitUri = dataUriAtTheLimit();
  const write = async (name: string, content: Json | string) => {
    await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    return join(dir, name);
  };
  const links = Array.from({ length: MAX_WORKFLOW_CONNECTIONS + 1 }, () => wire('load', 'audio', 'save', 'audio'));
  files = {
    chain50k: await write('chain50k.json', gainChain(50_000, 'tone.wav')),
    loop50k: await write('loop50k.json', gainChain(50_000, 'tone.wav', { loop: true })),
    chain5k: await write('chain5k.json', gainChain(5_000, 'tone.wav')),
    deep: await write('deep.json', `{"format": "sa3-workflow", "version": 1, "nodes": [], "meta": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
    honestFlac: await write('honest-flac.json', loadAndSave('silent1h.flac')),
    lyingFlac: await write('lying-flac.json', loadAndSave('lying1h.flac')),
    uriAtLimit: await write('uri-at-limit.json', loadAndSave(atLimitUri)),
    uriOverLimit: await write('uri-over-limit.json', loadAndSave(`${atLimitUri}\n`)),
    promptAtLimit: await write('prompt-at-limit.json', promptWorkflow('a'.repeat(MAX_TEXT_PARAM_CHARS))),
    promptOverLimit: await write('prompt-over-limit.json', promptWorkflow('a'.repeat(MAX_TEXT_PARAM_CHARS + 1))),
    links: await write('links.json', workflow([node('load', 'audio.load', { source: 'tone.wav' }), node('save', 'audio.save')], links)),
  };
});

// The fixtures hold two 48 MiB workflows and the outputs of every run: not left behind.
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the CLI', () => {
  /** Runs sa3 on a workflow with a fresh, empty output folder, and lists that folder afterwards. */
  async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; before: string[]; after: string[] }> {
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    await mkdir(out);
    const before = fileSet(out);
    const result = await runCli([...args, '--out', out], { cwd: dir });
    return { code: result.code, stdout: result.stdout, stderr: result.stderr, before, after: fileSet(out) };
  }

  it('validates a chain of 50,000 nodes', async () => {
    const result = await runCli(['validate', files.chain50k!]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`valid ${files.chain50k}: 50002 nodes, 50001 wires\n`);
    expect(result.code).toBe(0);
  });

  it('refuses a loop through 50,000 nodes with one sentence that lists its ends', async () => {
    const result = await run(['run', files.loop50k!]);
    expect(result.stderr).toContain(`${files.loop50k}: 1 problem\n  cycle [node g0] ${loopMessage}\n`);
    expect(result.code).toBe(2);
    expect(result.after).toEqual(result.before);
  });

  it('runs a chain of 5,000 nodes to the end', async () => {
    const result = await run(['run', files.chain5k!]);
    expect(result.code).toBe(0);
    expect(result.before).toEqual([]);
    expect(result.after).toHaveLength(2);
    expect(result.after[0]).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}\.report\.json$/);
    expect(result.after[1]).toBe('out.wav');
  });

  it('refuses a file nested 100,000 deep in one sentence', async () => {
    const result = await run(['run', files.deep!]);
    expect(result.stderr).toContain(
      `${files.deep}: 1 problem\n  too_deep the file nests arrays and objects deeper than 64 levels (at line 1, column 126); a workflow needs far fewer\n`,
    );
    expect(result.stderr).not.toMatch(/RangeError|internal error/);
    expect(result.code).toBe(2);
    expect(result.after).toEqual(result.before);
  });

  it('refuses an hour of FLAC by its header, before decoding it', async () => {
    const result = await run(['run', files.honestFlac!]);
    expect(result.stderr).toContain(`failed [node load, param source] audio_too_long: ${tooLongByHeader('"silent1h.flac"')}\n`);
    expect(result.code).toBe(2);
    expect(result.after).toEqual(result.before);
  });

  it('stops decoding an hour of FLAC whose header claims ten seconds', async () => {
    const result = await run(['run', files.lyingFlac!]);
    expect(result.stderr).toContain(`failed [node load, param source] audio_too_long: ${tooLongDecoded('"lying1h.flac"')}\n`);
    expect(result.code).toBe(2);
    expect(result.after).toEqual(result.before);
  });

  it('refuses a data: URI one character over the limit before decoding it', async () => {
    const result = await run(['run', files.uriOverLimit!]);
    expect(result.stderr).toContain(
      `${files.uriOverLimit}: 1 problem\n  data_uri_too_large [node load, param source] ${dataUriTooLarge(MAX_DATA_URI_CHARS + 1)}\n`,
    );
    expect(result.code).toBe(2);
    expect(result.after).toEqual(result.before);
  });

  it('runs a data: URI exactly at the limit', async () => {
    const result = await run(['run', files.uriAtLimit!]);
    expect(result.code).toBe(0);
    expect(result.after.filter((f) => !f.endsWith('.report.json'))).toEqual(['out.wav']);
  });

  it('refuses a prompt one character over the limit, and accepts one at it', async () => {
    const over = await runCli(['validate', files.promptOverLimit!]);
    expect(over.stderr).toContain(`${files.promptOverLimit}: 1 problem\n  text_too_long [node prompt, param text] ${promptTooLong}\n`);
    expect(over.code).toBe(2);
    const at = await runCli(['validate', files.promptAtLimit!]);
    expect(at.stdout).toBe(`valid ${files.promptAtLimit}: 3 nodes, 2 wires\n`);
    expect(at.code).toBe(0);
  });

  it('refuses more wires than any workflow needs', async () => {
    const result = await run(['run', files.links!]);
    expect(result.stderr).toContain(`${files.links}: 1 problem\n  too_many_connections ${tooManyWires}\n`);
    expect(result.code).toBe(2);
    expect(result.after).toEqual(result.before);
  });
});

describe('sa3 serve', () => {
  let server: ChildProcess;
  let url: string;
  let outputs: string;
  let home: string;

  beforeAll(async () => {
    home = await tempDir('sa3-limits-home-');
    outputs = join(dir, 'server-outputs');
    await mkdir(outputs);
    server = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--files', dir, '--outputs', outputs], {
      env: { ...process.env, NO_COLOR: '1', SA3_HOME: home, SA3_PACKS: '', SA3_CACHE: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const match = /listening on (http:\/\/[^\s/#]+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      server.on('exit', (code) => reject(new Error(`sa3 serve ended (${code}) before listening: ${stdout}`)));
    });
  });

  afterAll(async () => {
    server.kill('SIGKILL');
    await rm(home, { recursive: true, force: true });
  });

  async function post(path: string, body: string | Json): Promise<{ status: number; body: unknown }> {
    const response = await fetch(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /** Submits a workflow, which must be accepted, and waits (without a deadline of its own) until its run has finished. */
  async function runToTheEnd(body: Json): Promise<RunState> {
    const submitted = await post('/api/runs', body);
    expect(submitted.status).toBe(202);
    const id = (submitted.body as RunState).id;
    for (;;) {
      const state = (await (await fetch(`${url}/api/runs/${id}`)).json()) as RunState;
      if (state.finishedAt) return state;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends a request, checks that the server still answers its health check, and lists the output folder before and after. */
  async function attempt<T>(send: () => Promise<T>): Promise<{ result: T; before: string[]; after: string[] }> {
    const before = fileSet(outputs);
    const result = await send();
    const health = await fetch(`${url}/health-check`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toMatch(/^[A-Z_]+$/);
    return { result, before, after: fileSet(outputs) };
  }

  /** The files (not folders) of a listing. */
  const filesOf = (entries: string[]) => entries.filter((f) => !f.endsWith('/'));

  it('refuses a loop through 50,000 nodes with 422 and its one problem', async () => {
    const { result, before, after } = await attempt(() => post('/api/runs', { workflow: gainChain(50_000, 'tone.wav', { loop: true }) }));
    expect(result.status).toBe(422);
    expect(result.body).toEqual({ detail: 'the workflow has 1 problem(s)', problems: [{ code: 'cycle', message: loopMessage, node: 'g0' }] });
    expect(after).toEqual(before);
  });

  it('runs a chain of 5,000 nodes to the end', async () => {
    const { result, before, after } = await attempt(() => runToTheEnd({ workflow: gainChain(5_000, 'tone.wav') }));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.map((o) => o.path)).toEqual(['out.wav']);
    expect(filesOf(after).filter((f) => !before.includes(f))).toEqual([`${result.id}/out.wav`]);
  });

  it.each([
    ['/api/runs', `{"workflow": {"format": "sa3-workflow", "version": 1, "nodes": [], "meta": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, 139],
    ['/predictions', `{"input": ${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}}`, 395],
  ])('refuses a body to %s nested 100,000 deep with 400 and one sentence', async (path, body, column) => {
    const { result, before, after } = await attempt(() => post(path, body));
    expect(result).toEqual({ status: 400, body: { detail: deepBodyMessage(column) } });
    expect(after).toEqual(before);
  });

  it('refuses an uploaded hour of FLAC by its header', async () => {
    const { result, before, after } = await attempt(async () => {
      const response = await fetch(`${url}/api/uploads?name=silent1h.flac`, {
        method: 'POST',
        headers: { 'content-type': 'audio/flac' },
        body: new Uint8Array(honestFlac),
      });
      const upload = (await response.json()) as UploadReceipt;
      return { upload: upload.id, run: await runToTheEnd({ workflow: loadAndSave(upload.id) }) };
    });
    expect(result.run.status).toBe('failed');
    expect(result.run.report!.error).toEqual({
      code: 'audio_too_long',
      message: tooLongByHeader(JSON.stringify(result.upload)),
      node: 'load',
      kind: 'input',
      param: 'source',
    });
    expect(filesOf(after)).toEqual(filesOf(before));
  });

  it('stops decoding a data: URI of an hour of FLAC whose header claims ten seconds', async () => {
    const uri = `data:audio/flac;base64,${lyingFlac.toString('base64')}`;
    const { result, before, after } = await attempt(() => runToTheEnd({ workflow: loadAndSave(uri) }));
    expect(result.status).toBe('failed');
    expect(result.report!.error).toEqual({ code: 'audio_too_long', message: tooLongDecoded(shownUri(uri)), node: 'load', kind: 'input', param: 'source' });
    expect(filesOf(after)).toEqual(filesOf(before));
  });

  it('refuses a data: URI one character over the limit in a workflow and in a prediction', async () => {
    const { result, before, after } = await attempt(() => post('/api/runs', { workflow: loadAndSave(`${atLimitUri}\n`) }));
    expect(result).toEqual({
      status: 422,
      body: {
        detail: 'the workflow has 1 problem(s)',
        problems: [{ code: 'data_uri_too_large', message: dataUriTooLarge(MAX_DATA_URI_CHARS + 1), node: 'load', param: 'source' }],
      },
    });
    expect(after).toEqual(before);

    const prediction = await attempt(() => post('/predictions', { input: { prompt: 'rain', init_audio: `${atLimitUri}\n` } }));
    expect(prediction.result).toEqual({
      status: 422,
      body: {
        detail: [
          {
            loc: ['body', 'input', 'init_audio'],
            msg: dataUriTooLarge(MAX_DATA_URI_CHARS + 1).replace('node "load"', 'node "source"'),
            type: 'value_error.data_uri_too_large',
          },
        ],
      },
    });
    expect(prediction.after).toEqual(prediction.before);
  });

  it('runs a data: URI exactly at the limit', async () => {
    const { result, before, after } = await attempt(() => runToTheEnd({ workflow: loadAndSave(atLimitUri) }));
    expect(result.status).toBe('succeeded');
    expect(filesOf(after).filter((f) => !before.includes(f))).toEqual([`${result.id}/out.wav`]);
  });

  it('refuses a prompt one character over the limit with 422 naming the field', async () => {
    const { result, before, after } = await attempt(() => post('/predictions', { input: { prompt: 'a'.repeat(MAX_TEXT_PARAM_CHARS + 1) } }));
    expect(result).toEqual({
      status: 422,
      body: { detail: [{ loc: ['body', 'input', 'prompt'], msg: promptTooLong, type: 'value_error.text_too_long' }] },
    });
    expect(after).toEqual(before);
  });

  it('refuses more wires than any workflow needs', async () => {
    const links = Array.from({ length: MAX_WORKFLOW_CONNECTIONS + 1 }, () => wire('load', 'audio', 'save', 'audio'));
    const body = { workflow: workflow([node('load', 'audio.load', { source: 'tone.wav' }), node('save', 'audio.save')], links) };
    const { result, before, after } = await attempt(() => post('/api/runs', body));
    expect(result).toEqual({
      status: 422,
      body: { detail: 'the workflow has 1 problem(s)', problems: [{ code: 'too_many_connections', message: tooManyWires, path: '/connections' }] },
    });
    expect(after).toEqual(before);
  });

  it('names a few nodes, not 50,000, for each override of a node that does not exist', async () => {
    const overrides = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`missing${i}.gain_db`, 1]));
    const { result, before, after } = await attempt(() => post('/api/runs', { workflow: gainChain(50_000, 'tone.wav'), overrides }));
    expect(result.status).toBe(422);
    const problems = (result.body as ErrorBody).problems!;
    expect(problems).toHaveLength(1000);
    const listed = ['load', ...Array.from({ length: 19 }, (_, i) => `g${i}`)].join(', ');
    expect(problems[999]).toEqual({
      code: 'missing_node',
      message: `--set missing999.gain_db: there is no node "missing999"; nodes are ${listed} and 49982 more`,
      node: 'missing999',
      param: 'gain_db',
    });
    expect(after).toEqual(before);
  });
});
