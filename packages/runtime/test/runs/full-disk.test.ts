import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunStore, type RunToStore } from '../../src/runs/index.js';
import type { Workflow } from '../../src/workflow/index.js';

/** A real full disk: a 1 MiB tmpfs mounted for the test (root only; skipped, saying so, where mounting is not allowed). */
const work = mkdtempSync(join(tmpdir(), 'sa3-run-store-full-'));
const small = join(work, 'small');
mkdirSync(small);
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', small], { stdio: 'ignore' });
  mounted = true;
} catch {
  console.warn('skipping the full-disk run store test: this process may not mount a tmpfs (it needs root)');
}

const workflow: Workflow = { format: 'sa3-workflow', version: 1, name: 'full', nodes: [], connections: [] };

function runWithOutput(id: string, bytes: number): RunToStore {
  const outDir = join(work, 'out');
  mkdirSync(outDir, { recursive: true });
  const absolutePath = join(outDir, `${id}.wav`);
  writeFileSync(absolutePath, Buffer.alloc(bytes, 1));
  const output = { node: 'save', path: `${id}.wav`, bytes, sha256: 'x', mime: 'audio/wav' };
  const report = {
    format: 'sa3-run-report' as const,
    version: 1 as const,
    runId: id,
    workflow: { sha256: 'x' },
    status: 'succeeded' as const,
    startedAt: new Date().toISOString(),
    seeds: {},
    nodes: [],
    outputs: [{ ...output, absolutePath }],
    cacheHits: 0,
  };
  return { id, workflow, createdAt: new Date().toISOString(), status: 'succeeded', report, servedReport: { ...report, outputs: [output] } };
}

let store: RunStore;
beforeAll(async () => {
  if (mounted) store = await RunStore.open(join(small, 'runs'), { maxBytes: 1024 * 1024 * 1024 });
});
afterAll(() => {
  store?.close();
  if (mounted) execFileSync('umount', [small]);
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!mounted)('run store on a full disk', () => {
  it('says so in one sentence, leaves nothing half-written, and keeps working once there is room', async () => {
    const before = readdirSync(join(small, 'runs')).sort();
    const outcome = await store.put(runWithOutput('big', 2 * 1024 * 1024));
    expect(outcome).toEqual({
      stored: false,
      problem: `the run store could not keep run big in ${join(small, 'runs')}: the disk is full; the run and its outputs are unaffected`,
    });
    expect(readdirSync(join(small, 'runs')).sort()).toEqual(before);
    expect((await store.list({ limit: 10 }))!.entries).toEqual([]);
    expect(await store.put(runWithOutput('fits', 1000))).toEqual({ stored: true, removed: [] });
    expect((await store.list({ limit: 10 }))!.entries.map((e) => e.row.id)).toEqual(['fits']);
  });
});
