// Run store figures for npm run bench: listing a page must not grow with the number of runs stored.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '@sa3/runtime';

const workflow = { format: 'sa3-workflow', version: 1, name: 'bench', nodes: [], connections: [] };

function run(outDir, i) {
  const id = `run-${String(i).padStart(6, '0')}`;
  const absolutePath = join(outDir, `${id}.wav`);
  writeFileSync(absolutePath, Buffer.alloc(2048, i % 251));
  const output = { node: 'save', path: `${id}.wav`, bytes: 2048, sha256: 'x', mime: 'audio/wav' };
  const createdAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  const report = {
    format: 'sa3-run-report',
    version: 1,
    runId: id,
    workflow: { sha256: 'x' },
    status: 'succeeded',
    startedAt: createdAt,
    seeds: {},
    nodes: [],
    outputs: [{ ...output, absolutePath }],
    cacheHits: 0,
  };
  return { id, workflow, createdAt, status: 'succeeded', report, servedReport: { ...report, outputs: [output] } };
}

async function filledStore(dir, count) {
  const outDir = join(dir, 'out');
  mkdirSync(outDir, { recursive: true });
  const store = await RunStore.open(join(dir, 'runs'), { maxBytes: 1e12 });
  for (let i = 0; i < count; i++) await store.put(run(outDir, i));
  return store;
}

async function pageMs(store, cursorDepth) {
  let cursor;
  for (let i = 0; i < cursorDepth; i++) cursor = (await store.list({ limit: 20, ...(cursor ? { cursor } : {}) })).nextCursor;
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    await store.list({ limit: 20, ...(cursor ? { cursor } : {}) });
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export async function runStoreBench(report) {
  const scratch = mkdtempSync(join(tmpdir(), 'sa3-bench-runs-'));
  try {
    const t = performance.now();
    const large = await filledStore(join(scratch, 'large'), 2000);
    const putMs = (performance.now() - t) / 2000;
    const small = await filledStore(join(scratch, 'small'), 20);
    const [smallFirst, largeFirst, largeDeep] = [await pageMs(small, 0), await pageMs(large, 0), await pageMs(large, 50)];
    report(
      'history page of 20: 2000 runs stored / 20 stored',
      (largeFirst / smallFirst).toFixed(2),
      'x',
      `(${largeFirst.toFixed(2)} ms against ${smallFirst.toFixed(2)} ms)`,
    );
    report(
      'history page 51 of 100 / page 1 (2000 runs)',
      (largeDeep / largeFirst).toFixed(2),
      'x',
      `(${largeDeep.toFixed(2)} ms; storing one run ${putMs.toFixed(2)} ms)`,
    );
    large.close();
    small.close();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
