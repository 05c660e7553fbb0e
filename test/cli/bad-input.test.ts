import { mkdir, readdir, writeFile, copyFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventOfType, runCli, tempDir, validationOf } from '../helpers/cli.js';
import { examplesDir } from '../helpers/paths.js';

/** A workflow document as these cases write it, valid or not. */
interface Doc {
  format: string;
  version: number;
  name?: string;
  extra?: unknown;
  nodes: { id: string; type: string; typeVersion: number; params?: Record<string, unknown> }[];
  connections: { from: [string, string]; to: [string, string] }[];
}

function base(): Doc {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'bad',
    nodes: [
      { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'tone.wav' } },
      { id: 'trim', type: 'audio.trim', typeVersion: 1, params: { start_seconds: 0.1 } },
      { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'wav' } },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
    ],
    connections: [
      { from: ['load', 'audio'], to: ['trim', 'audio'] },
      { from: ['trim', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    ],
  };
}

function edit(change: (w: Doc) => void): Doc {
  const w = base();
  change(w);
  return w;
}

/** The params of the node at `index` of the document (every node of base() has them). */
const params = (w: Doc, index: number) => w.nodes[index]!.params!;

const source = (value: string) => edit((w) => (params(w, 0).source = value));

interface Case {
  readonly name: string;
  /** Workflow document, or raw file text. */
  readonly file: Doc | string;
  readonly args?: readonly string[];
  readonly exit: 1 | 2;
  readonly code: string;
  readonly node?: string;
  readonly param?: string;
  readonly input?: string;
  readonly message?: RegExp;
}

let closedPort = 0;
let dir = '';

beforeAll(async () => {
  dir = await tempDir('sa3-bad-');
  await copyFile(join(examplesDir, 'audio/pluck-a.wav'), join(dir, 'tone.wav'));
  await writeFile(join(dir, 'garbage.wav'), Buffer.from('this is not audio at all, just text pretending to be a wav file\n'.repeat(50)));
  await writeFile(join(dir, 'empty.mp3'), Buffer.alloc(0));
  const wav = await import('node:fs/promises').then((fs) => fs.readFile(join(dir, 'tone.wav')));
  await writeFile(join(dir, 'truncated.wav'), wav.subarray(0, Math.floor(wav.byteLength / 3)));
  await mkdir(join(dir, 'folder.wav'));
  closedPort = await new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
});

const cases: Case[] = [
  { name: 'not JSON', file: '{ "format": "sa3-workflow", nodes: [ }', exit: 2, code: 'invalid_json', message: /line 1/ },
  { name: 'empty file', file: '', exit: 2, code: 'invalid_json', message: /empty/ },
  { name: 'a JSON array instead of an object', file: '[1, 2]', exit: 2, code: 'invalid_structure' },
  { name: 'wrong format', file: edit((w) => (w.format = 'comfyui-workflow')), exit: 2, code: 'invalid_format' },
  { name: 'newer format version', file: edit((w) => (w.version = 2)), exit: 2, code: 'unsupported_version', message: /newer/ },
  { name: 'unknown top-level field', file: edit((w) => (w.extra = 1)), exit: 2, code: 'unknown_field', message: /"extra"/ },
  { name: 'invalid node id', file: edit((w) => (w.nodes[1]!.id = 'my trim')), exit: 2, code: 'invalid_structure', message: /"my trim"/ },
  {
    name: 'unknown node type',
    file: edit((w) => w.nodes.push({ id: 'verb', type: 'audio.reverb', typeVersion: 1, params: {} })),
    exit: 2,
    code: 'unknown_node_type',
    node: 'verb',
  },
  { name: 'node version newer than the runtime', file: edit((w) => (w.nodes[1]!.typeVersion = 7)), exit: 2, code: 'type_version_too_new', node: 'trim' },
  {
    name: 'duplicate node ids',
    file: edit((w) => w.nodes.push({ id: 'trim', type: 'audio.gain', typeVersion: 1, params: {} })),
    exit: 2,
    code: 'duplicate_node_id',
    node: 'trim',
  },
  {
    name: 'cycle',
    file: edit((w) => {
      w.nodes.push({ id: 'g1', type: 'audio.gain', typeVersion: 1 }, { id: 'g2', type: 'audio.gain', typeVersion: 1 });
      w.connections.push({ from: ['g1', 'audio'], to: ['g2', 'audio'] }, { from: ['g2', 'audio'], to: ['g1', 'audio'] });
    }),
    exit: 2,
    code: 'cycle',
    node: 'g1',
    message: /g1 -> g2 -> g1/,
  },
  { name: 'wire from a missing node', file: edit((w) => (w.connections[0]!.from = ['loader', 'audio'])), exit: 2, code: 'missing_node', node: 'loader' },
  {
    name: 'wire into a missing port',
    file: edit((w) => (w.connections[1]!.to = ['convert', 'pcm'])),
    exit: 2,
    code: 'unknown_input',
    node: 'convert',
    input: 'pcm',
  },
  { name: 'wire from a missing output', file: edit((w) => (w.connections[2]!.from = ['convert', 'bytes'])), exit: 2, code: 'unknown_output', node: 'convert' },
  {
    name: 'wrong socket type',
    file: edit((w) => w.connections.push({ from: ['convert', 'file'], to: ['trim', 'audio'] })),
    exit: 2,
    code: 'return_type_mismatch',
    node: 'trim',
    input: 'audio',
  },
  {
    name: 'two wires into one input',
    file: edit((w) => w.connections.push({ from: ['load', 'audio'], to: ['convert', 'audio'] })),
    exit: 2,
    code: 'input_already_connected',
    node: 'convert',
    input: 'audio',
  },
  { name: 'required input missing', file: edit((w) => w.connections.splice(1, 1)), exit: 2, code: 'required_input_missing', node: 'convert', input: 'audio' },
  { name: 'save with nothing wired in', file: edit((w) => w.connections.splice(2, 1)), exit: 2, code: 'required_input_missing', node: 'save', input: 'file' },
  {
    name: 'param above its maximum',
    file: edit((w) => (params(w, 2).flac_compression = 13)),
    exit: 2,
    code: 'value_bigger_than_max',
    node: 'convert',
    param: 'flac_compression',
  },
  {
    name: 'param below its minimum',
    file: edit((w) => (params(w, 1).start_seconds = -2)),
    exit: 2,
    code: 'value_smaller_than_min',
    node: 'trim',
    param: 'start_seconds',
  },
  {
    name: 'param of the wrong type',
    file: edit((w) => (params(w, 1).start_seconds = 'soon')),
    exit: 2,
    code: 'invalid_param_type',
    node: 'trim',
    param: 'start_seconds',
  },
  {
    name: 'integer param with a fraction',
    file: edit((w) => (params(w, 2).flac_compression = 2.5)),
    exit: 2,
    code: 'value_not_integer',
    node: 'convert',
    param: 'flac_compression',
  },
  { name: 'unknown param', file: edit((w) => (params(w, 2).quality = 'best')), exit: 2, code: 'unknown_param', node: 'convert', param: 'quality' },
  {
    name: 'enum value not in the list',
    file: edit((w) => (params(w, 2).format = 'aac')),
    exit: 2,
    code: 'value_not_in_list',
    node: 'convert',
    param: 'format',
  },
  { name: 'end before start', file: edit((w) => (params(w, 1).end_seconds = 0.05)), exit: 2, code: 'invalid_range', node: 'trim', param: 'end_seconds' },
  {
    name: 'output path escaping the output dir',
    file: edit((w) => (params(w, 3).filename = '../../etc/out.wav')),
    exit: 2,
    code: 'output_path_escapes',
    node: 'save',
    param: 'filename',
  },
  {
    name: 'absolute output path',
    file: edit((w) => (params(w, 3).filename = '/tmp/out.wav')),
    exit: 2,
    code: 'output_path_escapes',
    node: 'save',
    param: 'filename',
  },
  { name: 'no output node', file: edit((w) => (w.nodes.pop(), w.connections.pop())), exit: 2, code: 'no_outputs' },
  { name: '--set on a missing node', file: base(), args: ['--set', 'gen.seed=1'], exit: 2, code: 'missing_node', node: 'gen' },
  { name: '--set of an unknown param', file: base(), args: ['--set', 'trim.length=1'], exit: 2, code: 'unknown_param', node: 'trim', param: 'length' },
  {
    name: '--set out of range',
    file: base(),
    args: ['--set', 'trim.start_seconds=-1'],
    exit: 2,
    code: 'value_smaller_than_min',
    node: 'trim',
    param: 'start_seconds',
  },
  { name: '--set that is not node.param=value', file: base(), args: ['--set', 'seed'], exit: 2, code: 'invalid_argument' },
  { name: 'corrupt audio', file: source('garbage.wav'), exit: 2, code: 'audio_corrupt', node: 'load', param: 'source' },
  { name: 'empty audio file', file: source('empty.mp3'), exit: 2, code: 'audio_empty', node: 'load', param: 'source' },
  { name: 'truncated audio', file: source('truncated.wav'), exit: 2, code: 'audio_truncated', node: 'load', param: 'source' },
  { name: 'a directory given as audio', file: source('folder.wav'), exit: 2, code: 'path_is_directory', node: 'load', param: 'source' },
  { name: 'missing audio file', file: source('nowhere.wav'), exit: 2, code: 'file_not_found', node: 'load', param: 'source' },
  { name: 'unsupported URL scheme', file: source('ftp://example.org/a.wav'), exit: 2, code: 'unsupported_url_scheme', node: 'load', param: 'source' },
  { name: 'file:// URL', file: source('file:///etc/passwd'), exit: 2, code: 'unsupported_url_scheme', node: 'load', param: 'source' },
  { name: 'malformed data: URI', file: source('data:audio/wav;base64'), exit: 2, code: 'data_uri_invalid', node: 'load', param: 'source' },
  {
    name: 'trim start beyond the audio',
    file: edit((w) => (params(w, 1).start_seconds = 30)),
    exit: 2,
    code: 'value_bigger_than_max',
    node: 'trim',
    param: 'start_seconds',
    message: /only 3\.000 s long/,
  },
  {
    name: 'a model node with no model pack installed',
    file: {
      format: 'sa3-workflow',
      version: 1,
      nodes: [
        { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'rain on a tin roof' } },
        { id: 'gen', type: 'sa3.generate', typeVersion: 1, params: { duration: 5 } },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
      ],
      connections: [
        { from: ['prompt', 'conditioning'], to: ['gen', 'prompt'] },
        { from: ['gen', 'audio'], to: ['save', 'audio'] },
      ],
    },
    exit: 1,
    code: 'model_not_installed',
    node: 'prompt',
    message: /no model pack is installed.*sa3 models pull small-music/,
  },
];

describe('bad input: one clear error, the right exit code, nothing written', () => {
  it('has at least 25 distinct cases', () => expect(new Set(cases.map((c) => c.code)).size).toBeGreaterThanOrEqual(25));

  for (const c of cases) {
    it(c.name, async () => {
      const file = join(dir, `${c.name.replace(/\W+/g, '-')}.json`);
      await writeFile(file, typeof c.file === 'string' ? c.file : JSON.stringify(c.file, null, 2));
      const out = await tempDir('sa3-bad-out-');
      const result = await runCli(['run', file, '--json', '--out', out, ...(c.args ?? [])]);
      expect(result.signal).toBeNull();
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.code).toBe(c.exit);
      const invalid = eventOfType(result, 'invalid');
      const failure = eventOfType(result, 'run-error')?.report.error;
      const problem = invalid ? (invalid.problems.find((p) => p.code === c.code) ?? invalid.problems[0]) : failure;
      expect(problem, result.stdout).toBeDefined();
      const { code, node, param, input, message } = problem!;
      expect(code).toBe(c.code);
      if (c.node) expect(node).toBe(c.node);
      if (c.param) expect(param).toBe(c.param);
      if (c.input) expect(input).toBe(c.input);
      if (c.message) expect(message).toMatch(c.message);
      expect(message.split(/\.\s/).length).toBeLessThanOrEqual(2);
      expect(await readdir(out)).toEqual([]);
    });
  }

  it('an unreachable URL', async () => {
    const file = join(dir, 'unreachable.json');
    await writeFile(file, JSON.stringify(source(`http://127.0.0.1:${closedPort}/a.wav`)));
    const out = await tempDir('sa3-bad-out-');
    const result = await runCli(['run', file, '--json', '--out', out]);
    expect(result.code).toBe(2);
    const error = result.events.find((e) => e.type === 'run-error')?.report.error;
    expect(error).toMatchObject({ code: 'url_unreachable', node: 'load', param: 'source' });
    expect(await readdir(out)).toEqual([]);
  });

  it('a workflow file that does not exist', async () => {
    const result = await runCli(['run', join(dir, 'missing.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.json does not exist/);
  });

  it('validate reports every problem of a broken file in one go', async () => {
    const file = join(dir, 'many.json');
    await writeFile(
      file,
      JSON.stringify(
        edit((w) => {
          params(w, 1).start_seconds = -1;
          params(w, 2).format = 'aac';
          params(w, 3).filename = '../x';
          w.nodes.push({ id: 'x', type: 'nope', typeVersion: 1 });
        }),
      ),
    );
    const result = await runCli(['validate', file, '--json']);
    expect(result.code).toBe(2);
    const codes = validationOf(result)
      .problems.map((p) => p.code)
      .sort();
    expect(codes).toEqual(['output_path_escapes', 'unknown_node_type', 'value_not_in_list', 'value_smaller_than_min']);
  });
});
