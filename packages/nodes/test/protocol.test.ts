import { describe, expect, it } from 'vitest';
import { errorBodySchema, isFinalRunEvent, parsePayload, PayloadError, runEventSchema, runEventTypes, runReportSchema, type RunReport } from '../src/index.js';

const report: RunReport = {
  format: 'sa3-run-report',
  version: 1,
  runId: 'r1',
  workflow: { name: 'w', sha256: 'ab' },
  status: 'failed',
  startedAt: '2026-01-01T00:00:00.000Z',
  seeds: { gen: { seed: 7 } },
  nodes: [{ id: 'gen', type: 'sa3.generate', status: 'failed', cacheKey: 'k' }],
  outputs: [],
  cacheHits: 0,
  error: { code: 'node_failed', message: 'gen failed', node: 'gen', kind: 'run' },
};

describe('the HTTP contract', () => {
  it('reads every run event type, and knows the final ones', () => {
    expect(runEventTypes).toEqual([
      'run-start',
      'node-start',
      'node-progress',
      'node-cached',
      'node-done',
      'node-error',
      'run-done',
      'run-error',
      'run-cancelled',
    ]);
    const event = parsePayload(runEventSchema, { runId: 'r1', seq: 3, time: 't', type: 'run-error', report }, 'test');
    expect(isFinalRunEvent(event)).toBe(true);
    expect(isFinalRunEvent({ type: 'node-start' })).toBe(false);
  });

  it('names the request and the field at fault in one sentence', () => {
    const drifted = { ...report, nodes: [{ ...report.nodes[0], status: 'exploded' }] };
    let error: unknown;
    try {
      parsePayload(runReportSchema, drifted, 'GET /api/runs/r1');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as Error).message).toMatch(/^the answer to GET \/api\/runs\/r1 is not what this version of sa3 expects: nodes\[0\]\.status: /);
  });

  it('refuses a node-error event without its node, and an error body without its sentence', () => {
    expect(runEventSchema.safeParse({ runId: 'r', seq: 1, time: 't', type: 'node-error', nodeType: 'x', code: 'c', message: 'm' }).success).toBe(false);
    expect(errorBodySchema.safeParse({ problems: [] }).success).toBe(false);
    expect(errorBodySchema.parse({ detail: 'no', problems: [{ code: 'cycle', message: 'loops', node: 'a' }] }).problems).toHaveLength(1);
  });
});
