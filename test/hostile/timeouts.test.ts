import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentServer, stallingFileListHub, stallingServer, type QuietServer } from '../../packages/runtime/test/helpers/quiet-servers.js';
import { readSse } from '../server/read-sse.js';
import { startTestServer, type TestServer } from '../server/server-fixture.js';
import { examplesDir } from '../helpers/paths.js';
import { fileSet } from './file-set.js';
import { isolatedDirs, startSa3, type Sa3Process } from './sa3-process.js';

const OPTIMIZED = 'stabilityai/stable-audio-3-optimized';
const FAST = { SA3_CONNECT_TIMEOUT_MS: '300', SA3_IDLE_TIMEOUT_MS: '300' };

const quiet: QuietServer[] = [];
const processes: Sa3Process[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) p.child.kill('SIGKILL');
  for (const q of quiet.splice(0)) await q.close();
});

async function sa3(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = startSa3(args, env);
  processes.push(p);
  const { code } = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

describe('sa3 models pull from a hub that goes quiet', () => {
  it('a hub that accepts the connection and never answers: exit 1 and one sentence naming the host and the connect timeout', async () => {
    const hub = await silentServer();
    quiet.push(hub);
    const { home, tmp } = await isolatedDirs();
    const result = await sa3(['models', 'pull', 'small-music'], { SA3_HOME: home, TMPDIR: tmp, HF_ENDPOINT: hub.url, HF_TOKEN: '', ...FAST });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `sa3 models: ${hub.host} (HF_ENDPOINT) did not answer within 0.3 s (connect timeout) when asked for the revision main of ${OPTIMIZED}; pull again later, or download the files by hand and run "sa3 models import DIR"\n`,
    );
    // Nothing installed, no lock left behind.
    expect(fileSet(home)).toEqual(['staging/']);
  });

  it('a hub whose file list stops in the middle: exit 1 and one sentence naming the host and the idle timeout', async () => {
    const hub = await stallingFileListHub();
    quiet.push(hub);
    const { home, tmp } = await isolatedDirs();
    const result = await sa3(['models', 'pull', 'small-music', '--json'], { SA3_HOME: home, TMPDIR: tmp, HF_ENDPOINT: hub.url, HF_TOKEN: '', ...FAST });
    expect(result.code).toBe(1);
    const message = `${hub.host} (HF_ENDPOINT) sent nothing for 0.3 s in the middle of its answer (idle timeout) when asked for the file list of ${OPTIMIZED}; pull again later, or download the files by hand and run "sa3 models import DIR"`;
    expect(result.stderr).toBe(`sa3 models: ${message}\n`);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([{ type: 'error', code: 'download_failed', message }]);
    expect(fileSet(home)).toEqual(['staging/']);
  });
});

describe('sa3 run with an audio URL whose server goes quiet', () => {
  const workflowFor = (url: string) => ({
    format: 'sa3-workflow',
    version: 1,
    nodes: [
      { id: 'remote', type: 'audio.load', typeVersion: 1, params: { source: url } },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
    ],
    connections: [{ from: ['remote', 'audio'], to: ['save', 'audio'] }],
  });

  async function runAgainst(url: string): Promise<{ code: number | null; stderr: string; out: string; tmp: string }> {
    const { home, tmp } = await isolatedDirs();
    const work = await mkdtemp(join(tmpdir(), 'sa3-hostile-url-'));
    await writeFile(join(work, 'wf.json'), JSON.stringify(workflowFor(url)));
    const out = join(work, 'out');
    const result = await sa3(['run', join(work, 'wf.json'), '--out', out], { SA3_HOME: home, TMPDIR: tmp, ...FAST });
    return { code: result.code, stderr: result.stderr, out, tmp };
  }

  it('a server that accepts the connection and never answers: exit 2, the node and param named, no file left', async () => {
    const server = await silentServer();
    quiet.push(server);
    const url = `${server.url}/song.wav`;
    const result = await runAgainst(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `failed [node remote, param source] url_timeout: could not download "${url}": connect timeout: ${server.host} did not answer within 0.3 s\n`,
    );
    expect(fileSet(result.out)).toEqual([]);
    expect(fileSet(result.tmp)).toEqual([]);
  });

  it('a server that sends its headers and part of the file, then nothing: exit 2 naming the host and the idle timeout, no file left', async () => {
    const wav = await readFile(join(examplesDir, 'audio', 'chord.wav'));
    const server = await stallingServer({ headers: { 'content-type': 'audio/wav' }, body: wav, sendBytes: 4096 });
    quiet.push(server);
    const url = `${server.url}/chord.wav`;
    const result = await runAgainst(url);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `failed [node remote, param source] url_timeout: could not download "${url}": idle timeout: ${server.host} sent nothing for 0.3 s in the middle of its answer\n`,
    );
    expect(fileSet(result.out)).toEqual([]);
    expect(fileSet(result.tmp)).toEqual([]);
  });
});

describe('the server with clients and webhooks that go quiet', () => {
  let t: TestServer;
  const logged: string[] = [];
  const waiters: { match: RegExp; resolve: (line: string) => void }[] = [];
  const logLine = (match: RegExp): Promise<string> =>
    new Promise((resolve) => {
      const earlier = logged.find((l) => match.test(l));
      if (earlier) resolve(earlier);
      else waiters.push({ match, resolve });
    });
  const previous = { connect: process.env.SA3_CONNECT_TIMEOUT_MS, idle: process.env.SA3_IDLE_TIMEOUT_MS };

  beforeAll(async () => {
    process.env.SA3_CONNECT_TIMEOUT_MS = FAST.SA3_CONNECT_TIMEOUT_MS;
    process.env.SA3_IDLE_TIMEOUT_MS = FAST.SA3_IDLE_TIMEOUT_MS;
    t = await startTestServer({
      log: (line) => {
        logged.push(line);
        for (const w of [...waiters]) {
          if (!w.match.test(line)) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      },
    });
  });
  afterAll(async () => {
    await t.server.close();
    for (const [name, value] of [
      ['SA3_CONNECT_TIMEOUT_MS', previous.connect],
      ['SA3_IDLE_TIMEOUT_MS', previous.idle],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('a webhook target that never answers: the prediction still finishes, and the log names the host and the connect timeout', async () => {
    const target = await silentServer();
    quiet.push(target);
    const webhook = `${target.url}/hook`;
    const { status, body } = await t.request('/predictions', {
      method: 'POST',
      json: { id: 'quiet-hook', input: { prompt: 'a soft mid tone', duration: 2, seed: 1 }, webhook, webhook_events_filter: ['completed'] },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'quiet-hook', status: 'succeeded', error: null });
    expect(await logLine(/"completed" event of prediction quiet-hook.*try 1 of 3/)).toBe(
      `webhook ${webhook} could not be reached for the "completed" event of prediction quiet-hook: connect timeout: ${target.host} did not answer within 0.3 s (try 1 of 3)`,
    );
  });

  it('SSE after the run is over ends at once, whatever Last-Event-ID says: past the end, garbage, negative', async () => {
    const workflow = await readFile(join(examplesDir, 'trim-fade-mp3.json'), 'utf8');
    const submitted = await t.request('/api/runs', { method: 'POST', json: { workflow: JSON.parse(workflow) as unknown } });
    expect(submitted.status).toBe(202);
    const id = (submitted.body as { id: string }).id;
    const all = await readSse(await fetch(`${t.url}/api/runs/${id}/events`));
    expect(all.at(-1)?.event).toBe('run-done');
    const seqs = all.map((e) => e.id);
    const last = Number(seqs.at(-1));

    const after = async (headers: Record<string, string>, query = '') =>
      (await readSse(await fetch(`${t.url}/api/runs/${id}/events${query}`, { headers }))).map((e) => e.id);
    expect(await after({ 'last-event-id': String(last + 1000) })).toEqual([]);
    expect(await after({ 'last-event-id': String(last) })).toEqual([]);
    expect(await after({ 'last-event-id': '99999999999999999999999' })).toEqual([]);
    expect(await after({ 'last-event-id': 'not-a-number' })).toEqual(seqs);
    expect(await after({ 'last-event-id': '-5' })).toEqual(seqs);
    expect(await after({ 'last-event-id': '2.5' })).toEqual(seqs);
    expect(await after({}, `?lastEventId=${last - 1}`)).toEqual([String(last)]);
    expect(await after({}, `?lastEventId=${last + 7}`)).toEqual([]);
  });
});
