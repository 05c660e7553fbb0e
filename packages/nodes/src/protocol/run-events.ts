import { z } from 'zod';
import { problemSchema } from './problem.js';
import { outputSummarySchema, runSeedsSchema, servedRunReportSchema } from './run-report.js';

/** What every event of a run carries; `seq` increases by one per event, and clients resume a stream from it. */
const envelope = {
  runId: z.string(),
  seq: z.number().int().positive(),
  time: z.string(),
};

const runStartSchema = z.object({ ...envelope, type: z.literal('run-start'), order: z.array(z.string()), seeds: runSeedsSchema });
const nodeStartSchema = z.object({ ...envelope, type: z.literal('node-start'), node: z.string(), nodeType: z.string() });
const nodeProgressSchema = z.object({
  ...envelope,
  type: z.literal('node-progress'),
  node: z.string(),
  step: z.number(),
  total: z.number(),
  phase: z.string().optional(),
});
const nodeCachedSchema = z.object({ ...envelope, type: z.literal('node-cached'), node: z.string(), nodeType: z.string(), outputs: outputSummarySchema });
const nodeDoneSchema = z.object({
  ...envelope,
  type: z.literal('node-done'),
  node: z.string(),
  nodeType: z.string(),
  ms: z.number(),
  outputs: outputSummarySchema,
});
const nodeErrorSchema = problemSchema
  .pick({ code: true, message: true, param: true, input: true })
  .extend({ ...envelope, type: z.literal('node-error'), node: z.string(), nodeType: z.string() });
// The final events carry the report as a server sends it; the executor's own (with absolute paths) fits it too.
const runDoneSchema = z.object({ ...envelope, type: z.literal('run-done'), report: servedRunReportSchema });
const runErrorSchema = z.object({ ...envelope, type: z.literal('run-error'), report: servedRunReportSchema });
const runCancelledSchema = z.object({ ...envelope, type: z.literal('run-cancelled'), report: servedRunReportSchema });

/** One event of a run, as the executor emits it and GET /api/runs/:id/events streams it (SSE `data`, with `event` = type). */
export const runEventSchema = z.discriminatedUnion('type', [
  runStartSchema,
  nodeStartSchema,
  nodeProgressSchema,
  nodeCachedSchema,
  nodeDoneSchema,
  nodeErrorSchema,
  runDoneSchema,
  runErrorSchema,
  runCancelledSchema,
]);
export type RunEvent = z.infer<typeof runEventSchema>;
export type RunEventType = RunEvent['type'];

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event before the emitter stamps it with its run, sequence number and time. */
export type RunEventBody = DistributiveOmit<RunEvent, keyof typeof envelope>;

export const runEventTypes = runEventSchema.options.map((option) => option.shape.type.value);

/** The events that end a run's stream, each carrying the run's report. */
export type FinalRunEvent = Extract<RunEvent, { type: 'run-done' | 'run-error' | 'run-cancelled' }>;
const finalTypes: ReadonlySet<string> = new Set<FinalRunEvent['type']>(['run-done', 'run-error', 'run-cancelled']);

export function isFinalRunEvent(event: { readonly type: string }): event is FinalRunEvent {
  return finalTypes.has(event.type);
}
