import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { startTestServer, type TestServer } from './server-fixture.js';

const dist = join(repoRoot, 'packages/editor/dist');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => t?.server.close());

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A GET whose body is left as the server encoded it (fetch would decode it). */
function rawGet(path: string, acceptEncoding?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(t.url + path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The hashed script the built index.html loads, read from the page as served. */
async function scriptPath(): Promise<string> {
  const page = await rawGet('/');
  const match = /src="(\/assets\/[^"]+\.js)"/.exec(page.body.toString('utf8'));
  if (!match) throw new Error('the served index.html loads no /assets/ script; build the editor first (cd packages/editor && npm run build)');
  return match[1]!;
}

describe('the editor app as served', () => {
  it('compresses a hashed asset with brotli or gzip as Accept-Encoding asks, and both decode to the file on disk', async () => {
    const path = await scriptPath();
    const onDisk = readFileSync(join(dist, path));

    const br = await rawGet(path, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toBe('accept-encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(onDisk.length / 2);
    expect(brotliDecompressSync(br.body).equals(onDisk)).toBe(true);

    const gz = await rawGet(path, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(onDisk)).toBe(true);

    const refused = await rawGet(path, 'br;q=0, gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.equals(onDisk)).toBe(true);

    const plain = await rawGet(path);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(onDisk)).toBe(true);
  });

  it('caches hashed assets for a year as immutable, and has index.html revalidated every time', async () => {
    const asset = await rawGet(await scriptPath(), 'br');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await rawGet('/', 'br');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(page.body).equals(readFileSync(join(dist, 'index.html')))).toBe(true);
  });

  it('leaves a missing asset a 404 in one sentence', async () => {
    const missing = await rawGet('/assets/none-00000000.js', 'br');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString('utf8'))).toEqual({ detail: 'there is no editor asset "none-00000000.js"' });
  });
});
