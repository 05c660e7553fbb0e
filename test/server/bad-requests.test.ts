import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePayload, runStateSchema } from '@sa3/nodes';
import { readHealthCheck, readPrediction, readValidationErrors } from './cog-payloads.js';
import { startTestServer, type TestServer } from './server-fixture.js';

let t: TestServer;
let locked: TestServer;
let closedPort = 0;

beforeAll(async () => {
  t = await startTestServer({ bodyLimitBytes: 256 * 1024, uploadLimitBytes: 64 * 1024 });
  locked = await startTestServer({ token: 'open-sesame' });
  closedPort = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
});
afterAll(async () => {
  await t.server.close();
  await locked.server.close();
});

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
/** A 16-bit stereo WAV of `frames` frames of silence. */
function silentWav(frames: number): Buffer {
  const bytes = Buffer.alloc(44 + frames * 4);
  bytes.write('RIFF', 0);
  bytes.writeUInt32LE(36 + frames * 4, 4);
  bytes.write('WAVEfmt ', 8);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(2, 22);
  bytes.writeUInt32LE(44_100, 24);
  bytes.writeUInt32LE(44_100 * 4, 28);
  bytes.writeUInt16LE(4, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36);
  bytes.writeUInt32LE(frames * 4, 40);
  return bytes;
}
const predict = (input: unknown, init: RequestInit = {}) => t.request('/predictions', { method: 'POST', json: { input }, ...init });

interface Case {
  readonly name: string;
  readonly send: () => Promise<{ status: number; body: unknown }>;
  readonly status: number;
  /** The field a 422 names, or a pattern the message must match. */
  readonly field?: string;
  readonly message?: RegExp;
}

const cases: Case[] = [
  { name: 'missing prompt', send: () => predict({ duration: 5 }), status: 422, field: 'prompt' },
  { name: 'duration 0', send: () => predict({ prompt: 'x', duration: 0 }), status: 422, field: 'duration', message: /greater than or equal to 1/ },
  { name: 'duration 381', send: () => predict({ prompt: 'x', duration: 381 }), status: 422, field: 'duration', message: /less than or equal to 380/ },
  { name: 'steps 51', send: () => predict({ prompt: 'x', steps: 51 }), status: 422, field: 'steps' },
  { name: 'steps 4.5', send: () => predict({ prompt: 'x', steps: 4.5 }), status: 422, field: 'steps', message: /integer/ },
  { name: 'unknown output_format', send: () => predict({ prompt: 'x', output_format: 'aac' }), status: 422, field: 'output_format' },
  { name: 'prompt of the wrong type', send: () => predict({ prompt: 42 }), status: 422, field: 'prompt' },
  { name: 'seed of the wrong type', send: () => predict({ prompt: 'x', seed: 'lucky' }), status: 422, field: 'seed' },
  { name: 'input that is not an object', send: () => predict('make music'), status: 422, message: /input must be an object/ },
  {
    name: 'malformed JSON',
    send: () => t.request('/predictions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input": {"prompt": ' }),
    status: 422,
    message: /"loc":\["body",21\],"msg":"JSON decode error"/,
  },
  {
    name: '__proto__ key in a prediction',
    send: () =>
      t.request('/predictions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input": {"prompt": "x", "__proto__": {"a": 1}}}' }),
    status: 400,
    message: /"detail":"the request body has the key \\"input\.__proto__\\"; keys that reach an object's prototype/,
  },
  {
    name: 'constructor.prototype key in a workflow run',
    send: () =>
      t.request('/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"workflow": {"nodes": [{"constructor": {"prototype": 1}}]}}',
      }),
    status: 400,
    message: /"detail":"the request body has the key \\"workflow\.nodes\[0\]\.constructor\.prototype\\"/,
  },
  {
    name: 'oversized body',
    send: () => predict({ prompt: 'x', init_audio: `data:audio/wav;base64,${'A'.repeat(300 * 1024)}` }),
    status: 413,
    message: /larger than/,
  },
  {
    name: 'file:// URL',
    send: () => predict({ prompt: 'x', init_audio: 'file:///etc/passwd' }),
    status: 422,
    field: 'init_audio',
    message: /http\(s\) URL or a data: URI/,
  },
  { name: 'bad data: URI', send: () => predict({ prompt: 'x', init_audio: 'data:audio/wav;base64' }), status: 422, field: 'init_audio' },
  {
    name: 'data: URI that is not audio',
    send: () => predict({ prompt: 'x', duration: 2, init_audio: `data:audio/wav;base64,${Buffer.from('not audio at all, only words').toString('base64')}` }),
    status: 422,
    field: 'init_audio',
    message: /decoded/,
  },
  {
    name: 'unreachable audio URL',
    send: () => predict({ prompt: 'x', duration: 2, inpaint_audio: `http://127.0.0.1:${closedPort}/a.wav` }),
    status: 422,
    field: 'inpaint_audio',
  },
  {
    name: 'inpaint end before start',
    send: () => predict({ prompt: 'x', inpaint_audio: 'http://127.0.0.1:1/a.wav', inpaint_start_seconds: 4, inpaint_end_seconds: 2 }),
    status: 422,
    field: 'inpaint_end_seconds',
  },
  {
    name: 'inpaint start beyond the source',
    send: () =>
      predict({
        prompt: 'x',
        duration: 3,
        inpaint_start_seconds: 2,
        inpaint_end_seconds: 3,
        inpaint_audio: `data:audio/wav;base64,${silentWav(8192).toString('base64')}`,
      }),
    status: 422,
    field: 'inpaint_start_seconds',
    message: /region 1 starts at 2 s but the source audio is only 0\.186 s long/,
  },
  {
    name: 'init_noise_level below 0.01',
    send: () =>
      predict({
        prompt: 'x',
        duration: 2,
        init_noise_level: 0.005,
        init_audio: `data:audio/wav;base64,${readFileSync(new URL('../../examples/audio/pluck-a.wav', import.meta.url))
          .subarray(0, 44 + 4 * 8192)
          .toString('base64')}`,
      }),
    status: 422,
    field: 'init_noise_level',
    message: /at least 0\.01/,
  },
  {
    name: 'webhook that is not http(s)',
    send: () => t.request('/predictions', { method: 'POST', json: { input: { prompt: 'x' }, webhook: 'ftp://example.org/hook' } }),
    status: 422,
    field: 'webhook',
  },
  { name: 'prediction id with a slash', send: () => t.request('/predictions/a%2Fb', { method: 'PUT', json: { input: { prompt: 'x' } } }), status: 422 },
  { name: 'cancel of an unknown prediction', send: () => t.request('/predictions/nope/cancel', { method: 'POST' }), status: 404 },
  { name: 'path traversal in an output URL', send: () => t.request('/api/runs/x/outputs/..%2F..%2F..%2Fetc%2Fpasswd'), status: 404 },
  {
    name: "path traversal into another run's folder",
    send: async () => {
      const run = await t.request('/predictions', { method: 'POST', json: { input: { prompt: 'mid', duration: 1 } } });
      const { id } = readPrediction(run.body, 'POST /predictions');
      return t.request(`/api/runs/${id}/outputs/..%2F..%2Fuploads%2Fsecret.wav`);
    },
    status: 404,
  },
  {
    name: 'workflow that is invalid',
    send: () =>
      t.request('/api/runs', {
        method: 'POST',
        json: {
          workflow: { format: 'sa3-workflow', version: 1, nodes: [{ id: 'g', type: 'audio.gain', typeVersion: 1, params: { gain_db: 99 } }], connections: [] },
        },
      }),
    status: 422,
    message: /problem/,
  },
  {
    name: 'workflow reading a file outside the served folder',
    send: async () => {
      const run = await t.request('/api/runs', {
        method: 'POST',
        json: {
          workflow: {
            format: 'sa3-workflow',
            version: 1,
            nodes: [
              { id: 'l', type: 'audio.load', typeVersion: 1, params: { source: '/etc/hostname' } },
              { id: 's', type: 'audio.save', typeVersion: 1 },
            ],
            connections: [{ from: ['l', 'audio'], to: ['s', 'audio'] }],
          },
        },
      });
      const { id } = parsePayload(runStateSchema, run.body, 'POST /api/runs');
      await t.server.runs.get(id)!.done;
      const { report } = parsePayload(runStateSchema, (await t.request(`/api/runs/${id}`)).body, `GET /api/runs/${id}`);
      return { status: report!.error!.code === 'path_not_allowed' ? 403 : 500, body: report!.error };
    },
    status: 403,
    message: /outside the folder this server reads files from/,
  },
  {
    name: 'empty upload',
    send: () => t.request('/api/uploads?name=a.wav', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(0) }),
    status: 422,
  },
  {
    name: 'upload over the limit',
    send: () => t.request('/api/uploads?name=a.wav', { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(65 * 1024) }),
    status: 413,
  },
  { name: 'unknown route', send: () => t.request('/v2/predictions'), status: 404 },
  {
    name: 'missing bearer token',
    send: () => locked.request('/predictions', { method: 'POST', json: { input: { prompt: 'x' } } }),
    status: 401,
    message: /Authorization: Bearer/,
  },
  { name: 'wrong bearer token', send: () => locked.request('/api/nodes', { headers: { authorization: 'Bearer guess' } }), status: 401 },
];

describe('bad requests: the right status, a field-level message, and the server keeps serving', () => {
  it('has at least 20 cases', () => expect(cases.length).toBeGreaterThanOrEqual(20));

  for (const c of cases) {
    it(c.name, async () => {
      const { status, body } = await c.send();
      expect(status, JSON.stringify(body)).toBe(c.status);
      if (c.field) {
        const detail = readValidationErrors(isRecord(body) ? (body.detail ?? body) : body, `${c.name}: detail`);
        expect(
          detail.some((d) => d.loc.at(-1) === c.field),
          JSON.stringify(detail),
        ).toBe(true);
      }
      if (c.message) expect(JSON.stringify(body)).toMatch(c.message);
    });
  }

  it('still serves afterwards', async () => {
    expect(readHealthCheck((await t.request('/health-check')).body, 'GET /health-check').status).toBe('READY');
    const { status, body } = await predict({ prompt: 'mid', duration: 1 });
    expect(status).toBe(200);
    expect(readPrediction(body, 'POST /predictions').status).toBe('succeeded');
    expect((await locked.request('/health-check')).status).toBe(200);
    expect((await locked.request('/api/nodes', { headers: { authorization: 'Bearer open-sesame' } })).status).toBe(200);
  });
});
