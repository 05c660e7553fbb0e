import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './server-fixture.js';

// What Replicate's Python client (replicate 1.0.7) sends and reads, replayed over HTTP: it takes a
// base URL without /v1 (REPLICATE_BASE_URL) and writes every path under /v1/, requires `model`
// and `version` strings in every prediction, fetches models/{owner}/{name}/versions/{id} after a
// run pinned to a version, and decodes streams only with Content-Type text/event-stream and
// events that each carry an `event:` and an `id:` line.

const OWNER = 'jimothyjohn';
const NAME = 'stable-audio-3-medium';
let t: TestServer;
/** The Python client's headers on every request. */
const python = { authorization: 'Bearer r8_unused', 'user-agent': 'replicate-python/1.0.7', 'content-type': 'application/json' };

beforeAll(async () => {
  t = await startTestServer({ uploadLimitBytes: 4096 });
});
afterAll(() => t.server.close());

interface WirePrediction {
  id: string;
  model: unknown;
  version: unknown;
  status: string;
  output: unknown;
  error: unknown;
  urls: { get: string; cancel: string; stream: string };
}

interface ReplicateErrorBody {
  title: string;
  detail: string;
  status: number;
}

function asPrediction(body: unknown): WirePrediction {
  const p = body as WirePrediction;
  if (typeof p?.id !== 'string' || typeof p.urls?.stream !== 'string') throw new Error(`not a prediction: ${JSON.stringify(body).slice(0, 200)}`);
  return p;
}

/** Decodes a stream as the Python client's EventSource.Decoder does; an event without its event or id line is dropped there. */
function pythonDecode(text: string): { event: string | null; id: string | null; data: string }[] {
  const events: { event: string | null; id: string | null; data: string }[] = [];
  let event: string | null = null;
  let id: string | null = null;
  let data: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '') {
      if (event !== null || data.length > 0) events.push({ event, id, data: data.join('\n') });
      [event, data] = [null, []];
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const [field, value] = colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')];
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  return events;
}

/** One sentence in Replicate's error shape, and the server still answers. */
async function expectRefusal(response: { status: number; body: unknown; headers: Headers }, status: number, detail: RegExp): Promise<void> {
  expect(response.status).toBe(status);
  const body = response.body as ReplicateErrorBody;
  expect(
    Object.keys(body)
      .filter((key) => key !== 'invalid_fields')
      .sort(),
  ).toEqual(['detail', 'status', 'title']);
  expect(body.status).toBe(status);
  expect(body.title).toMatch(/^[A-Z][a-z ]+$/);
  expect(body.detail).toMatch(detail);
  expect(body.detail.split(/[.;]\s+[A-Z]/).length).toBe(1);
  expect((await t.request(`/v1/models/${OWNER}/${NAME}`)).status).toBe(200);
}

describe("Replicate's Python client, as it speaks on the wire", () => {
  it('replicate.run("owner/name") posts /v1/models/{owner}/{name}/predictions with Prefer: wait and reads model and version strings', async () => {
    const { status, body } = await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, {
      method: 'POST',
      headers: { ...python, prefer: 'wait' },
      body: JSON.stringify({ input: { prompt: 'mid', duration: 1 } }),
    });
    expect(status).toBe(201);
    const prediction = asPrediction(body);
    expect(prediction).toMatchObject({ model: `${OWNER}/${NAME}`, status: 'succeeded', error: null });
    expect(prediction.version).toMatch(/^[0-9a-f]{64}$/);
    expect(prediction.output).toMatch(/^data:audio\/wav;base64,/);
    for (const url of [prediction.urls.get, prediction.urls.cancel, prediction.urls.stream])
      expect(url).toMatch(new RegExp(`^${t.url}/v1/predictions/${prediction.id}`));
  });

  it('a run pinned to a version posts /v1/predictions with it, then fetches /v1/models/{owner}/{name}/versions/{id}', async () => {
    const model = (await t.request(`/v1/models/${OWNER}/${NAME}`, { headers: python })).body as { latest_version: { id: string } };
    const version = model.latest_version.id;
    const { status, body } = await t.request('/v1/predictions', {
      method: 'POST',
      headers: { ...python, prefer: 'wait' },
      body: JSON.stringify({ version, input: { prompt: 'low', duration: 1 } }),
    });
    expect(status).toBe(201);
    expect(asPrediction(body)).toMatchObject({ model: `${OWNER}/${NAME}`, version, status: 'succeeded' });
    const fetched = await t.request(`/v1/models/${OWNER}/${NAME}/versions/${version}`, { headers: python });
    expect(fetched.status).toBe(200);
    const schema = (fetched.body as { openapi_schema: { components: { schemas: { Output: unknown; Input: { required: string[] } } } } }).openapi_schema;
    expect(schema.components.schemas.Output).toMatchObject({ type: 'string', format: 'uri' });
    expect(schema.components.schemas.Input.required).toEqual(['prompt']);
    // The same version id in the owner/name:id form the hosted API also takes.
    const pinned = await t.request('/v1/predictions', {
      method: 'POST',
      headers: python,
      body: JSON.stringify({ version: `${OWNER}/${NAME}:${version}`, input: { prompt: 'low', duration: 1 } }),
    });
    expect(pinned.status).toBe(201);
  });

  it('replicate.stream: text/event-stream whose every event has event and id lines, ending with done', async () => {
    const created = asPrediction(
      (
        await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, {
          method: 'POST',
          headers: python,
          body: JSON.stringify({ input: { prompt: 'mid', duration: 1 }, stream: true }),
        })
      ).body,
    );
    const response = await fetch(created.urls.stream, { headers: { ...python, accept: 'text/event-stream', 'cache-control': 'no-store' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')!.split(';')[0]).toBe('text/event-stream');
    const events = pythonDecode(await response.text());
    expect(events.length).toBeGreaterThan(2);
    for (const event of events) {
      expect(['output', 'logs', 'error', 'done']).toContain(event.event);
      expect(event.id).toMatch(/^\d+$/);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.filter((e) => e.event !== 'logs').map((e) => e.event)).toEqual(['output', 'done']);
    expect(events.find((e) => e.event === 'output')!.data).toMatch(/^data:audio\/wav;base64,/);
    // A finished prediction's stream is replayed whole at once.
    const again = pythonDecode(await (await fetch(created.urls.stream, { headers: { accept: 'text/event-stream' } })).text());
    expect(again).toEqual(events);
  });

  it('prediction.cancel() posts an empty body; list, get and the webhook secret answer as the client reads them', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    try {
      const created = asPrediction(
        (await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, { method: 'POST', headers: python, body: JSON.stringify({ input: { prompt: 'mid' } }) }))
          .body,
      );
      await arrived;
      const canceled = await t.request(`/v1/predictions/${created.id}/cancel`, { method: 'POST', headers: { authorization: python.authorization } });
      expect(canceled.status).toBe(200);
      expect(asPrediction(canceled.body)).toMatchObject({ id: created.id, status: 'canceled', output: null });
    } finally {
      t.engine.open();
    }
    const list = (await t.request('/v1/predictions', { headers: python })).body as { next: unknown; previous: unknown; results: WirePrediction[] };
    expect(list).toMatchObject({ next: null, previous: null });
    expect(list.results.every((p) => typeof p.model === 'string' && typeof p.version === 'string')).toBe(true);
    expect((await t.request('/v1/webhooks/default/secret', { headers: python })).body).toMatchObject({
      key: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/) as unknown,
    });
  });

  it('a prediction that fails says why in one sentence, without a path on the server', async () => {
    const { body } = await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, {
      method: 'POST',
      headers: { ...python, prefer: 'wait' },
      body: JSON.stringify({ input: { prompt: 'mid', init_audio: `data:audio/wav;base64,${Buffer.from('not audio at all').toString('base64')}` } }),
    });
    const prediction = asPrediction(body);
    expect(prediction.status).toBe('failed');
    expect(prediction.error).toMatch(/^source: "data:audio\/wav;base64,[^"]+" could not be decoded as audio: /);
    // An uploaded file gone from the server's disk: the error names the file, not where it was.
    const form = new FormData();
    form.append('content', new Blob([new Uint8Array(64)]), 'take.wav');
    const file = (await t.request('/v1/files', { method: 'POST', body: form })).body as { id: string; urls: { get: string } };
    await rm(join(t.home, 'uploads', `${file.id}.wav`));
    const gone = asPrediction(
      (
        await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, {
          method: 'POST',
          headers: { ...python, prefer: 'wait' },
          body: JSON.stringify({ input: { prompt: 'mid', init_audio: file.urls.get } }),
        })
      ).body,
    );
    expect(gone.status).toBe('failed');
    expect(gone.error).toContain(`${file.id}.wav`);
    expect(gone.error).not.toContain(t.home);
    expect(gone.error).not.toMatch(/(^|[\s"'])\/[^\s]+\//);
  });
});

describe("bad input on the /v1 routes: one sentence in Replicate's error shape, server alive", () => {
  it('an unknown model', async () => {
    await expectRefusal(
      await t.request('/v1/models/someone/other-model'),
      404,
      /^there is no model someone\/other-model on this server; it runs jimothyjohn\/stable-audio-3-medium$/,
    );
    await expectRefusal(
      await t.request('/v1/models/someone/other-model/predictions', { method: 'POST', json: { input: { prompt: 'x' } } }),
      404,
      /^there is no model someone\/other-model/,
    );
  });

  it('a bad version', async () => {
    const refused = await t.request('/v1/predictions', { method: 'POST', json: { version: 'f'.repeat(64), input: { prompt: 'x' } } });
    await expectRefusal(refused, 422, /^the version "f{64}" is not one this server runs; it runs jimothyjohn\/stable-audio-3-medium:[0-9a-f]{64}$/);
    expect((refused.body as ReplicateErrorBody).title).toBe('Invalid version or not permitted');
    await expectRefusal(await t.request('/v1/predictions', { method: 'POST', json: { input: { prompt: 'x' } } }), 422, /^version is required/);
    await expectRefusal(await t.request(`/v1/models/${OWNER}/${NAME}/versions/nope`), 404, /has no version "nope"/);
  });

  it('missing input, and a field out of range', async () => {
    const missing = await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, { method: 'POST', json: {} });
    await expectRefusal(missing, 422, /^input must be an object of named fields/);
    expect((missing.body as ReplicateErrorBody).title).toBe('Input validation failed');
    const noPrompt = await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, { method: 'POST', json: { input: { duration: 5 } } });
    await expectRefusal(noPrompt, 422, /^prompt is required$/);
    expect(noPrompt.body).toMatchObject({ invalid_fields: [{ type: 'missing', field: 'input.prompt', description: 'prompt is required' }] });
    await expectRefusal(
      await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, { method: 'POST', json: { input: { prompt: 'x', duration: 9999 } } }),
      422,
      /duration is less than or equal to/,
    );
  });

  it('Prefer: wait out of range, a body that is not an object, malformed JSON', async () => {
    const path = `/v1/models/${OWNER}/${NAME}/predictions`;
    await expectRefusal(
      await t.request(path, { method: 'POST', headers: { prefer: 'wait=0' }, json: { input: { prompt: 'x' } } }),
      400,
      /wait=0 must be a whole number of seconds from 1 to 60/,
    );
    await expectRefusal(await t.request(path, { method: 'POST', json: [1, 2] }), 400, /must be a JSON object with an "input" object/);
    await expectRefusal(
      await t.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input": ' }),
      400,
      /^the request body is not valid JSON/,
    );
  });

  it('an oversized file upload, and a multipart body of the wrong shape', async () => {
    const upload = (form: FormData) => t.request('/v1/files', { method: 'POST', body: form });
    const big = new FormData();
    big.append('content', new Blob([new Uint8Array(8192)]), 'big.wav');
    await expectRefusal(await upload(big), 413, /^the upload is larger than the \S+ \S+ this server accepts$/);
    const noContent = new FormData();
    noContent.append('file', new Blob([new Uint8Array(8)]), 'a.wav');
    await expectRefusal(await upload(noContent), 422, /^the multipart body has no part named "content"/);
    const textContent = new FormData();
    textContent.append('content', 'just text');
    await expectRefusal(await upload(textContent), 422, /^the "content" part is a text field/);
    const badMetadata = new FormData();
    badMetadata.append('content', new Blob([new Uint8Array(8)]), 'a.wav');
    badMetadata.append('metadata', '[1]');
    await expectRefusal(await upload(badMetadata), 422, /^the "metadata" part must be a JSON object$/);
    await expectRefusal(await t.request('/v1/files', { method: 'POST', json: { content: 'x' } }), 415, /multipart\/form-data/);
  });

  it('an input linking to a file this server does not have', async () => {
    await expectRefusal(
      await t.request(`/v1/models/${OWNER}/${NAME}/predictions`, {
        method: 'POST',
        json: { input: { prompt: 'x', init_audio: `${t.url}/v1/files/${'a'.repeat(26)}` } },
      }),
      422,
      /^init_audio links to the file "a{26}", which this server does not have/,
    );
  });

  it('an expired or forged output link', async () => {
    const secured = await startTestServer({ publicUrl: 'https://audio.example.test' });
    try {
      const { body } = await secured.request(`/v1/models/${OWNER}/${NAME}/predictions`, {
        method: 'POST',
        headers: { prefer: 'wait' },
        json: { input: { prompt: 'mid', duration: 1 } },
      });
      const link = new URL(String(asPrediction(body).output));
      const local = (url: URL) => secured.request(`${url.pathname}${url.search}`);
      expect((await local(link)).status).toBe(200);
      const expired = new URL(link);
      expired.searchParams.set('expiry', String(Math.floor(Date.now() / 1000) - 60));
      expect((await local(expired)).status).toBe(403);
      expect(((await local(expired)).body as ReplicateErrorBody).detail).toBe('this link has expired; fetch the prediction again for a fresh one');
      const forged = new URL(link);
      forged.searchParams.set('signature', 'A'.repeat(43));
      expect(((await local(forged)).body as ReplicateErrorBody).detail).toBe(
        "this link's signature is not valid for this file; use the URL exactly as the server gave it",
      );
      const unsigned = new URL(link.pathname, link);
      expect((await local(unsigned)).body).toMatchObject({ status: 403, detail: expect.stringMatching(/^this link carries no signature/) as unknown });
      const otherFile = new URL(link);
      otherFile.pathname = otherFile.pathname.replace(/[a-z0-9]+-output/, `${'b'.repeat(26)}-output`);
      expect((await local(otherFile)).status).toBe(403);
      expect((await secured.request(`/v1/models/${OWNER}/${NAME}`)).status).toBe(200);
    } finally {
      await secured.server.close();
    }
  });

  it('cancel twice, and unknown predictions and paths', async () => {
    t.engine.close();
    const arrived = t.engine.arrival();
    const created = t.request(`/v1/models/${OWNER}/${NAME}/predictions`, { method: 'POST', json: { input: { prompt: 'mid' } } });
    const { id } = asPrediction((await created).body);
    try {
      await arrived;
      expect((await t.request(`/v1/predictions/${id}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    } finally {
      t.engine.open();
    }
    await expectRefusal(await t.request(`/v1/predictions/${id}/cancel`, { method: 'POST' }), 409, new RegExp(`^prediction ${id} was already canceled$`));
    await expectRefusal(await t.request('/v1/predictions/nope/cancel', { method: 'POST' }), 404, /^there is no prediction "nope" on this server$/);
    await expectRefusal(await t.request('/v1/predictions/nope'), 404, /^there is no prediction "nope" on this server$/);
    await expectRefusal(await t.request('/v1/predictions?cursor=garbage'), 400, /^the cursor "garbage" is not one this server gave/);
    await expectRefusal(await t.request('/v1/trainings'), 404, /^there is nothing at GET \/v1\/trainings$/);
  });
});
