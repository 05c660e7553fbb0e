import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NodeError } from '@sa3/nodes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAudioIO } from '../../src/audio/index.js';
import { classifySource } from '../../src/audio/sources.js';
import { lavfiSine, listDir, makeTempDir } from '../helpers/audio-files.js';
import { dominantFrequency } from '../helpers/spectrum.js';

const temp = makeTempDir();
const scratch = makeTempDir('sa3-audio-scratch-');
const uploads = join(temp.dir, 'uploads');
const signal = new AbortController().signal;
const options = { baseDir: temp.dir, uploadDir: uploads, tempDir: scratch.dir };
const audio = createAudioIO(options);
let server: Server;
let baseUrl = '';
let toneBytes: Buffer;

async function loadError(source: string, io = audio): Promise<NodeError> {
  const error = await io.load(source, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeError);
  const nodeError = error as NodeError;
  expect(nodeError.kind).toBe('input');
  expect(nodeError.param).toBe('source');
  return nodeError;
}

beforeAll(async () => {
  mkdirSync(uploads);
  lavfiSine(join(temp.dir, 'tone.wav'), { frequency: 1000 });
  toneBytes = readFileSync(join(temp.dir, 'tone.wav'));
  writeFileSync(join(uploads, 'abc_123.wav'), toneBytes);
  mkdirSync(join(temp.dir, 'folder.wav'));
  server = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url === '/tone.wav') {
      response.writeHead(200, { 'content-type': 'audio/wav', 'content-length': toneBytes.length });
      response.end(toneBytes);
    } else if (url === '/chunked.wav') {
      // No Content-Length: the cap has to be enforced while streaming.
      response.writeHead(200, { 'content-type': 'audio/wav' });
      for (let i = 0; i < toneBytes.length; i += 4096) response.write(toneBytes.subarray(i, i + 4096));
      response.end();
    } else if (url === '/slow.wav') {
      response.writeHead(200, { 'content-type': 'audio/wav' });
      response.write(toneBytes.subarray(0, 1000));
      // ...and never finishes.
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  temp.remove();
  scratch.remove();
});

afterEach(() => {
  expect(listDir(scratch.dir)).toEqual([]);
});

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('classifySource', () => {
  it('tells schemes from paths, including Windows drive letters', () => {
    expect(classifySource('music/a.wav')).toEqual({ kind: 'path', path: 'music/a.wav' });
    expect(classifySource('C:\\music\\a.wav')).toEqual({ kind: 'path', path: 'C:\\music\\a.wav' });
    expect(classifySource('c:/music/a.wav').kind).toBe('path');
    expect(classifySource('./ftp:thing.wav').kind).toBe('path');
    expect(classifySource('HTTPS://example.com/a.wav').kind).toBe('url');
    expect(classifySource('data:audio/wav;base64,AAAA').kind).toBe('data');
    expect(classifySource('upload:abc')).toEqual({ kind: 'upload', id: 'abc' });
    expect(classifySource('file:///tmp/a.wav')).toEqual({ kind: 'unsupported', scheme: 'file' });
    expect(classifySource('javascript:alert(1)')).toEqual({ kind: 'unsupported', scheme: 'javascript' });
  });
});

describe('local paths', () => {
  it('resolves relative paths against baseDir', async () => {
    const clip = await audio.load('tone.wav', signal);
    expect(clip.channels[0]!.length).toBe(88_200);
  });

  it('reports a missing file with file_not_found, naming the source and where it looked', async () => {
    const error = await loadError('nope/missing.wav');
    expect(error.code).toBe('file_not_found');
    expect(error.message).toBe(`the audio file "nope/missing.wav" does not exist (looked for ${join(temp.dir, 'nope/missing.wav')})`);
  });

  it('treats a Windows-like path as a path, not a scheme', async () => {
    expect((await loadError('C:\\music\\missing.wav')).code).toBe('file_not_found');
  });

  it('reports a directory with path_is_directory', async () => {
    const error = await loadError('folder.wav');
    expect(error.code).toBe('path_is_directory');
    expect(error.message).toContain('"folder.wav" is a directory');
  });

  it('reports an empty source with source_empty', async () => {
    expect((await loadError('  ')).code).toBe('source_empty');
  });
});

describe('URL schemes', () => {
  it('rejects file: URLs with unsupported_url_scheme and suggests the plain path', async () => {
    const error = await loadError(`file://${join(temp.dir, 'tone.wav')}`);
    expect(error.code).toBe('unsupported_url_scheme');
    expect(error.message).toMatch(/^file: URLs such as "file:\/\/.*" are not accepted as audio sources; give the plain file path instead$/);
  });

  it.each(['ftp://example.com/a.wav', 'javascript:alert(1)', 's3://bucket/a.wav'])('rejects %s with unsupported_url_scheme', async (source) => {
    const error = await loadError(source);
    expect(error.code).toBe('unsupported_url_scheme');
    expect(error.message).toContain(`"${source.split(':')[0]}:"`);
    expect(error.message).toContain(JSON.stringify(source));
  });
});

describe('data: URIs', () => {
  it('decodes a base64 data: URI', async () => {
    const clip = await audio.load(`data:audio/wav;base64,${toneBytes.toString('base64')}`, signal);
    expect(clip.channels[0]!.length).toBe(88_200);
    expect(dominantFrequency(clip.channels[0]!, 44_100)).toBeCloseTo(1000, 0);
  });

  it('decodes a percent-encoded data: URI', async () => {
    const encoded = Array.from(toneBytes, (b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const clip = await audio.load(`data:audio/wav,${encoded}`, signal);
    expect(clip.channels[0]!.length).toBe(88_200);
  });

  it.each([
    ['data:audio/wav;base64', 'there is no comma'],
    ['data:audio/wav;base64,!!!not base64!!!', 'not valid base64'],
    ['data:audio/wav;base64,QUJDRA=', 'not valid base64'],
    ['data:audio/wav,%zz', 'not followed by two hex digits'],
  ])('rejects %s with data_uri_invalid', async (source, reason) => {
    const error = await loadError(source);
    expect(error.code).toBe('data_uri_invalid');
    expect(error.message).toContain(reason);
    expect(error.message).toContain(JSON.stringify(source));
  });

  it('shortens long data: URIs in messages', async () => {
    const source = `data:audio/wav;base64,${'A'.repeat(10_000)}!`;
    const error = await loadError(source);
    expect(error.code).toBe('data_uri_invalid');
    expect(error.message.length).toBeLessThan(200);
    expect(error.message).toContain(`"${source.slice(0, 59)}…"`);
  });

  it('reports a data: URI without data with audio_empty', async () => {
    expect((await loadError('data:audio/wav;base64,')).code).toBe('audio_empty');
  });
});

describe('uploads', () => {
  it('loads upload:<id> from the upload directory', async () => {
    const clip = await audio.load('upload:abc_123.wav', signal);
    expect(clip.channels[0]!.length).toBe(88_200);
  });

  it.each(['upload:../tone.wav', 'upload:a/b', 'upload:', 'upload:x.WAV', 'upload:a.b.c'])('rejects %s with upload_id_invalid', async (source) => {
    const error = await loadError(source);
    expect(error.code).toBe('upload_id_invalid');
    expect(error.message).toContain(JSON.stringify(source));
  });

  it('reports an unknown upload with upload_not_found', async () => {
    const error = await loadError('upload:missing.wav');
    expect(error.code).toBe('upload_not_found');
    expect(error.message).toBe('the upload "upload:missing.wav" does not exist');
  });

  it('reports uploads as not found when no upload directory is configured', async () => {
    const io = createAudioIO({ baseDir: temp.dir, tempDir: scratch.dir });
    expect((await loadError('upload:abc_123.wav', io)).code).toBe('upload_not_found');
  });
});

describe('http(s) URLs', () => {
  it('downloads and decodes a URL', async () => {
    const clip = await audio.load(`${baseUrl}/tone.wav`, signal);
    expect(clip.channels[0]!.length).toBe(88_200);
    expect(dominantFrequency(clip.channels[1]!, 44_100)).toBeCloseTo(1000, 0);
  });

  it('reports HTTP 404 with url_http_error naming the status', async () => {
    const error = await loadError(`${baseUrl}/missing.wav`);
    expect(error.code).toBe('url_http_error');
    expect(error.message).toBe(`downloading "${baseUrl}/missing.wav" failed: the server answered HTTP 404 Not Found`);
  });

  it('reports a closed port with url_unreachable', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/tone.wav`;
    const error = await loadError(url);
    expect(error.code).toBe('url_unreachable');
    expect(error.message).toBe(`could not download "${url}": the connection was refused (ECONNREFUSED)`);
  });

  it('reports a download over the cap (declared by Content-Length) with url_too_large', async () => {
    const io = createAudioIO({ ...options, maxDownloadBytes: 64 * 1024 });
    const error = await loadError(`${baseUrl}/tone.wav`, io);
    expect(error.code).toBe('url_too_large');
    expect(error.message).toBe(`the file at "${baseUrl}/tone.wav" is larger than the download limit of 64 KiB`);
  });

  it('enforces the cap while streaming when there is no Content-Length', async () => {
    const io = createAudioIO({ ...options, maxDownloadBytes: 64 * 1024 });
    expect((await loadError(`${baseUrl}/chunked.wav`, io)).code).toBe('url_too_large');
    expect((await createAudioIO(options).load(`${baseUrl}/chunked.wav`, signal)).channels[0]!.length).toBe(88_200);
  });

  it('stops a download that exceeds the timeout with url_timeout', async () => {
    const io = createAudioIO({ ...options, fetchTimeoutMs: 300 });
    const error = await loadError(`${baseUrl}/slow.wav`, io);
    expect(error.code).toBe('url_timeout');
    expect(error.message).toContain('took longer than 0.3 s');
  });

  it('rejects with an AbortError when the run is cancelled mid-download', async () => {
    const controller = new AbortController();
    const loading = audio.load(`${baseUrl}/slow.wav`, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a malformed URL with url_invalid', async () => {
    expect((await loadError('http://')).code).toBe('url_invalid');
  });
});

describe('fingerprint', () => {
  it('is size:mtime for files, the source for URLs and data:, and "missing" otherwise', async () => {
    const fingerprint = await audio.fingerprint('tone.wav');
    expect(fingerprint).toMatch(/^\d+:\d+(\.\d+)?$/);
    expect(fingerprint.split(':')[0]).toBe(String(toneBytes.length));
    expect(await audio.fingerprint('upload:abc_123.wav')).toMatch(new RegExp(`^${toneBytes.length}:`));
    expect(await audio.fingerprint('missing.wav')).toBe('missing');
    expect(await audio.fingerprint('upload:../x')).toBe('missing');
    expect(await audio.fingerprint(`${baseUrl}/tone.wav`)).toBe(`${baseUrl}/tone.wav`);
    expect(await audio.fingerprint('data:audio/wav;base64,AAAA')).toBe('data:audio/wav;base64,AAAA');
  });

  it('changes when the file changes', async () => {
    const path = join(temp.dir, 'changing.wav');
    writeFileSync(path, toneBytes);
    const before = await audio.fingerprint('changing.wav');
    writeFileSync(path, toneBytes.subarray(0, 1000));
    expect(await audio.fingerprint('changing.wav')).not.toBe(before);
  });
});
