import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyPageSchema, parsePayload, runBatchSchema, runStateSchema, takeDetailSchema, takeSchema, type HistoryPage, type Take } from '@sa3/nodes';
import { examplesDir } from '../helpers/paths.js';
import { startTestServer, type TestServer } from './server-fixture.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.server.close());

async function textToAudio(extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  return { ...(JSON.parse(await readFile(join(examplesDir, 'text-to-audio.json'), 'utf8')) as Record<string, unknown>), ...extra };
}

const short = { 'generate.duration': 2 };
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Queues `repeat` takes and waits until each has ended and been stored; their ids in submission order. */
async function runBatch(server: TestServer, workflow: unknown, repeat: number, overrides: Record<string, unknown> = short): Promise<string[]> {
  const { status, body } = await server.request('/api/runs', { method: 'POST', json: { workflow, overrides, repeat } });
  expect(status, JSON.stringify(body)).toBe(202);
  const batch = parsePayload(runBatchSchema, body, 'POST /api/runs with repeat');
  expect(batch.runs).toHaveLength(repeat);
  for (const run of batch.runs) expect(['queued', 'running']).toContain(run.status);
  for (const run of batch.runs) await server.server.runs.get(run.id)!.done;
  // The history answers once every ended run is in the store, so after this the files are on disk.
  expect((await server.request('/api/history?limit=1')).status).toBe(200);
  return batch.runs.map((r) => r.id);
}

async function history(server: TestServer, query = ''): Promise<HistoryPage> {
  const { status, body } = await server.request(`/api/history${query}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return parsePayload(historyPageSchema, body, `GET /api/history${query}`);
}

async function download(server: TestServer, take: Take): Promise<{ bytes: Buffer; disposition: string | null; status: number }> {
  const response = await fetch(server.url + take.outputs[0]!.url);
  return { bytes: Buffer.from(await response.arrayBuffer()), disposition: response.headers.get('content-disposition'), status: response.status };
}

describe('run history and batches', () => {
  let ids: string[];
  let page1: HistoryPage;

  beforeAll(async () => {
    ids = await runBatch(t, await textToAudio(), 4, { ...short, 'generate.seed': -1 });
    page1 = await history(t, '?limit=3');
  });

  it('stores four takes of seed -1 with four different resolved seeds, listed newest first over two pages', async () => {
    expect(page1.takes.map((take) => take.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(page1.nextCursor).toBeDefined();
    const page2 = await history(t, `?limit=3&cursor=${page1.nextCursor}`);
    expect(page2.takes.map((take) => take.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeUndefined();
    const takes = [...page1.takes, ...page2.takes];
    const seeds = takes.map((take) => take.seeds.generate!.seed!);
    expect(new Set(seeds).size).toBe(4);
    for (const take of takes) {
      expect(take.status).toBe('succeeded');
      expect(take.workflowName).toBe('text-to-audio');
      expect(take.prompts).toEqual(['Warm analog synth pad with a slow filter sweep, mid tempo, soft rain in the background']);
      expect(take.pinned).toBe(false);
      const output = take.outputs[0]!;
      expect(output.node).toBe('save');
      expect(output.mime).toBe('audio/mpeg');
      expect(output.fileName).toBe(`text-to-audio-save-${take.seeds.generate!.seed}.mp3`);
      // An MP3 of 2 s decodes to 2 s and a little encoder padding at most.
      expect(output.durationSeconds).toBeGreaterThanOrEqual(2);
      expect(output.durationSeconds).toBeLessThan(2.1);
      expect(output.peaks).toHaveLength(256);
      expect(output.peaks!.every(([min, max]) => min <= max && min >= -1 && max <= 1)).toBe(true);
      expect(Math.max(...output.peaks!.map(([, max]) => max))).toBeGreaterThan(0.01);
      // Measured on the stored file when no audio.loudness node did, so takes can be played loudness-matched.
      expect(output.loudness!.integratedLufs).toBeGreaterThan(-70);
      expect(output.loudness!.integratedLufs).toBeLessThan(0);
    }
  });

  it('a take whose audio went through audio.loudness carries the loudness that node measured', async () => {
    const workflow = JSON.parse(await readFile(join(examplesDir, 'loudness-master.json'), 'utf8')) as unknown;
    const [id] = await runBatch(t, workflow, 1, { 'generate.duration': 3 });
    const { body } = await t.request(`/api/history/${id}`);
    const detail = parsePayload(takeDetailSchema, body, 'GET /api/history/:id');
    const measured = detail.report!.nodes.find((n) => n.id === 'loudness')!.outputs!.audio!;
    expect(measured.type).toBe('audio');
    expect(detail.outputs[0]!.loudness).toEqual(measured.type === 'audio' ? measured.loudness : undefined);
    expect(detail.outputs[0]!.loudness!.integratedLufs).toBeCloseTo(-14, 0);
  });

  it('downloads an output under {workflow}-{node}-{seed}.{ext} with the bytes the run reported', async () => {
    const take = page1.takes[0]!;
    const { bytes, disposition, status } = await download(t, take);
    expect(status).toBe(200);
    expect(disposition).toBe(`attachment; filename="text-to-audio-save-${take.seeds.generate!.seed}.mp3"`);
    expect(bytes.length).toBe(take.outputs[0]!.bytes);
    const { body } = await t.request(`/api/history/${take.id}`);
    const detail = parsePayload(takeDetailSchema, body, 'GET /api/history/:id');
    expect(sha256(bytes)).toBe(detail.report!.outputs[0]!.sha256);
    expect((detail.workflow as { name: string }).name).toBe('text-to-audio');
  });

  it('re-running with a take seed gives byte-identical output', async () => {
    const take = page1.takes[1]!;
    const original = await download(t, take);
    const [again] = await runBatch(t, await textToAudio(), 1, { ...short, 'generate.seed': take.seeds.generate!.seed });
    const { body } = await t.request(`/api/history/${again}`);
    const rerun = await download(t, parsePayload(takeSchema, body, 'GET /api/history/:id'));
    expect(rerun.bytes.equals(original.bytes)).toBe(true);
  });

  it('steps seeds by each seed control of meta.seedControl: increment gives s, s+1, s+2', async () => {
    const workflow = await textToAudio({ meta: { seedControl: { generate: { seed: 'increment' } } } });
    const batch = await runBatch(t, workflow, 3, { ...short, 'generate.seed': 7000 });
    const seeds: number[] = [];
    for (const id of batch) {
      const { body } = await t.request(`/api/history/${id}`);
      seeds.push(parsePayload(takeSchema, body, 'GET /api/history/:id').seeds.generate!.seed!);
    }
    expect(seeds).toEqual([7000, 7001, 7002]);
  });

  it('refuses a batch count outside 1-16 with one sentence', async () => {
    for (const repeat of [0, 17, 2.5, '4']) {
      const { status, body } = await t.request('/api/runs', { method: 'POST', json: { workflow: await textToAudio(), repeat } });
      expect(status).toBe(422);
      expect((body as { detail: string }).detail).toBe(`"repeat" must be a whole number from 1 to 16 (how many takes to queue), got ${JSON.stringify(repeat)}`);
    }
  });

  it('queued takes of a batch can be cancelled: they end cancelled and are not stored', async () => {
    t.engine.close();
    let ids: string[];
    try {
      const { body } = await t.request('/api/runs', { method: 'POST', json: { workflow: await textToAudio(), overrides: short, repeat: 3 } });
      ids = parsePayload(runBatchSchema, body, 'POST /api/runs').runs.map((run) => run.id);
      const { body: queued } = await t.request(`/api/runs/${ids[2]}`);
      expect(parsePayload(runStateSchema, queued, 'GET /api/runs/:id').status).toBe('queued');
      expect((await t.request(`/api/runs/${ids[2]}/cancel`, { method: 'POST' })).status).toBe(200);
    } finally {
      t.engine.open();
    }
    for (const id of ids) await t.server.runs.get(id)!.done;
    const { body: ended } = await t.request(`/api/runs/${ids[2]}`);
    expect(parsePayload(runStateSchema, ended, 'GET /api/runs/:id').status).toBe('cancelled');
    const listed = (await history(t, '?limit=100')).takes.map((take) => take.id);
    expect(listed).toContain(ids[0]);
    expect(listed).toContain(ids[1]);
    expect(listed).not.toContain(ids[2]);
  });
});

describe('run store on disk', () => {
  it('deletes a take with its files, and a second server on the same store lists the same history', async () => {
    const [keep, gone] = await runBatch(t, await textToAudio(), 2);
    const goneDir = join(t.home, 'runs', gone!);
    expect(existsSync(join(goneDir, 'run.json'))).toBe(true);
    const { status, body } = await t.request(`/api/history/${gone}`, { method: 'DELETE' });
    expect(status).toBe(200);
    expect(body).toEqual({ id: gone, deleted: true });
    expect(existsSync(goneDir)).toBe(false);
    expect((await t.request(`/api/history/${gone}`)).status).toBe(404);

    const before = (await history(t, '?limit=100')).takes.map((take) => take.id);
    const second = await startTestServer({ runsDir: join(t.home, 'runs') });
    try {
      const after = (await history(second, '?limit=100')).takes.map((take) => take.id);
      expect(after).toEqual(before);
      expect(after).toContain(keep);
      expect(after).not.toContain(gone);
    } finally {
      await second.server.close();
    }
  });

  it('keeps a pinned take through retention and removes the oldest unpinned one first', async () => {
    // A limit of one byte: after each take is stored, every other unpinned take goes, the oldest first.
    const small = await startTestServer({ runsMaxBytes: 1 });
    try {
      const [pinned] = await runBatch(small, await textToAudio(), 1);
      const { status, body } = await small.request(`/api/history/${pinned}/pin`, { method: 'POST', json: { pinned: true } });
      expect(status).toBe(200);
      expect(parsePayload(takeSchema, body, 'POST pin').pinned).toBe(true);
      const [older, newer] = await runBatch(small, await textToAudio(), 2);
      expect((await history(small)).takes.map((take) => take.id)).toEqual([newer, pinned]);
      expect(existsSync(join(small.home, 'runs', older!))).toBe(false);
      expect(existsSync(join(small.home, 'runs', pinned!, 'outputs'))).toBe(true);
    } finally {
      await small.server.close();
    }
  });

  it('lists a corrupt entry, a lost folder and a pinned take missing its file each with one sentence, and the rest as usual', async () => {
    const own = await startTestServer();
    try {
      const [healthy, corrupt, lost, pinned] = await runBatch(own, await textToAudio(), 4);
      const runs = join(own.home, 'runs');
      writeFileSync(join(runs, corrupt!, 'run.json'), '{"format": "sa3-stored-run", "id": ');
      rmSync(join(runs, lost!), { recursive: true });
      await own.request(`/api/history/${pinned}/pin`, { method: 'POST', json: { pinned: true } });
      const { body: detail } = await own.request(`/api/history/${pinned}`);
      const output = parsePayload(takeSchema, detail, 'GET /api/history/:id').outputs[0]!;
      rmSync(join(runs, pinned!, 'outputs', output.output));

      const takes = new Map((await history(own)).takes.map((take) => [take.id, take]));
      expect(takes.size).toBe(4);
      expect(takes.get(healthy!)!.problem).toBeUndefined();
      expect(takes.get(healthy!)!.outputs[0]!.problem).toBeUndefined();
      expect(takes.get(corrupt!)!.problem).toBe(
        `run ${corrupt} has a corrupt record ${join(runs, corrupt!, 'run.json')} (Unexpected end of JSON input); delete the run or restore the file`,
      );
      expect(takes.get(lost!)!.problem).toBe(`run ${lost} has lost its folder ${join(runs, lost!)}; only its index entry is left, delete it to clear it`);
      const missing = takes.get(pinned!)!.outputs[0]!;
      expect(missing.problem).toBe(
        `${missing.fileName} is missing from the run store (${join(runs, pinned!, 'outputs', output.output)}), although the take is pinned`,
      );
      const gone = await fetch(own.url + missing.url);
      expect(gone.status).toBe(410);
      // The corrupt entries can still be deleted, and the healthy take still downloads.
      expect((await own.request(`/api/history/${corrupt}`, { method: 'DELETE' })).status).toBe(200);
      expect((await own.request(`/api/history/${lost}`, { method: 'DELETE' })).status).toBe(200);
      expect((await download(own, takes.get(healthy!)!)).status).toBe(200);
    } finally {
      await own.server.close();
    }
  });

  it('a run a killed server left is listed as interrupted once, and deleting its take forgets it across restarts', async () => {
    const place = mkdtempSync(join(tmpdir(), 'sa3-history-journal-'));
    const dirs = { outputDir: join(place, 'outputs'), runsDir: join(place, 'runs') };
    // A pid no process has any more: the server that wrote the entry is gone.
    const gonePid = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(dirs.outputDir, '.sa3-runs'), { recursive: true });
    const workflow = await textToAudio();
    const entry = { format: 'sa3-run-journal', version: 1, id: 'killed-run', pid: gonePid, instance: 'gone', status: 'running' };
    const times = { createdAt: '2026-01-02T03:04:05.000Z', startedAt: '2026-01-02T03:04:06.000Z' };
    writeFileSync(join(dirs.outputDir, '.sa3-runs', 'killed-run.json'), JSON.stringify({ ...entry, ...times, workflow }));
    try {
      const first = await startTestServer(dirs);
      try {
        const [take] = (await history(first)).takes;
        expect(take).toMatchObject({ id: 'killed-run', status: 'interrupted', workflowName: 'text-to-audio', createdAt: times.createdAt, outputs: [] });
        expect(take!.error).toBe(
          `the server (pid ${gonePid}) stopped while this run was running, killed or crashed before it could finish it; nothing was written to its output folder, so run it again`,
        );
      } finally {
        await first.server.close();
      }
      const second = await startTestServer(dirs);
      try {
        expect((await history(second)).takes.map((take) => take.id)).toEqual(['killed-run']);
        expect((await second.request('/api/history/killed-run', { method: 'DELETE' })).status).toBe(200);
      } finally {
        await second.server.close();
      }
      expect(existsSync(join(dirs.outputDir, '.sa3-runs', 'killed-run.json'))).toBe(false);
      const third = await startTestServer(dirs);
      try {
        expect((await history(third)).takes).toEqual([]);
      } finally {
        await third.server.close();
      }
    } finally {
      rmSync(place, { recursive: true, force: true });
    }
  });

  it('a store on a full disk says so in one sentence on the history page; the run still reports, and a later run is kept', async (context) => {
    const place = mkdtempSync(join(tmpdir(), 'sa3-history-full-'));
    const runsDir = join(place, 'runs');
    mkdirSync(runsDir);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', runsDir], { stdio: 'ignore' });
    } catch {
      console.warn('skipping the full-disk history check: this process may not mount a tmpfs (it needs root)');
      rmSync(place, { recursive: true, force: true });
      context.skip();
      return;
    }
    const full = await startTestServer({ runsDir });
    try {
      // 30 s at 320 kbps is 1.2 MB: more than the 1 MiB disk holds.
      const [big] = await runBatch(full, await textToAudio(), 1, { 'generate.duration': 30 });
      const { body } = await full.request(`/api/runs/${big}`);
      const state = parsePayload(runStateSchema, body, 'GET /api/runs/:id');
      expect(state.status).toBe('succeeded');
      expect((await fetch(full.url + state.outputs[0]!.url)).status).toBe(200);
      const page = await history(full);
      expect(page.takes).toEqual([]);
      expect(page.problem).toBe(`the run store could not keep run ${big} in ${runsDir}: the disk is full; the run and its outputs are unaffected`);
      const [small] = await runBatch(full, await textToAudio(), 1);
      const after = await history(full);
      expect(after.takes.map((take) => take.id)).toEqual([small]);
      expect(after.problem).toBeUndefined();
    } finally {
      await full.server.close();
      execFileSync('umount', [runsDir]);
      rmSync(place, { recursive: true, force: true });
    }
  });

  it('refuses a bad limit or cursor with one sentence', async () => {
    const bad = await t.request('/api/history?limit=0');
    expect(bad.status).toBe(400);
    expect((bad.body as { detail: string }).detail).toBe('limit must be a whole number from 1 to 100, got "0"');
    const cursor = await t.request('/api/history?cursor=nonsense');
    expect(cursor.status).toBe(400);
    expect((cursor.body as { detail: string }).detail).toBe('cursor is not one this history gave out; start again without it');
  });
});
