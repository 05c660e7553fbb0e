import { z } from 'zod';
import { loudnessSummarySchema } from './loudness-summary.js';
import { runSeedsSchema, servedRunReportSchema } from './run-report.js';
import { runStateSchema, runStatusSchema } from './run-state.js';

/** The most runs one POST /api/runs may queue with "repeat". */
export const MAX_RUN_REPEAT = 16;

/** Interleaved per-column [min, max] of an audio output (channels mixed to mono, -1..1), so a list draws waveforms without downloading. */
export const takePeaksSchema = z.array(z.tuple([z.number(), z.number()]));

/** One file a stored run wrote, as the history lists it. */
export const takeOutputSchema = z.object({
  /** The node that wrote it (an audio.save node). */
  node: z.string(),
  /** Its path inside the run, with forward slashes: what the download URL ends with. */
  output: z.string(),
  /** GET this to download it, with Content-Disposition filename {workflow}-{node}-{seed}.{ext}. */
  url: z.string(),
  /** The name a download gets: {workflow}-{node}-{seed}.{ext}, sanitized. */
  fileName: z.string(),
  mime: z.string(),
  bytes: z.number(),
  /** Null when the file's length is not known (not audio, or it could not be read). */
  durationSeconds: z.number().nullable(),
  /** What audio.loudness measured upstream, else measured on the stored file; absent for silence and files that are not audio. */
  loudness: loudnessSummarySchema.optional(),
  /** Null when the file could not be decoded for a waveform. */
  peaks: takePeaksSchema.nullable(),
  /** One sentence when the file is not there any more (e.g. deleted from the store by hand); the rest of the take still lists. */
  problem: z.string().optional(),
});
export type TakeOutput = z.infer<typeof takeOutputSchema>;

/** A stored run (a take) as GET /api/history lists it. */
export const takeSchema = z.object({
  id: z.string(),
  /** Null when the workflow has no name. */
  workflowName: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  status: runStatusSchema,
  pinned: z.boolean(),
  /** The text of every sa3.prompt node, in the workflow's node order. */
  prompts: z.array(z.string()),
  /** Seeds as used: -1 already replaced by the seed drawn. */
  seeds: runSeedsSchema,
  durationMs: z.number().nullable(),
  /** Bytes the take holds in the store (workflow, report and outputs). */
  bytes: z.number(),
  outputs: z.array(takeOutputSchema),
  /** The run's own error (a failed or interrupted run), as its report says it. */
  error: z.string().optional(),
  /** One sentence when the stored entry is unreadable (corrupt JSON, a missing folder); the other takes are not affected. */
  problem: z.string().optional(),
});
export type Take = z.infer<typeof takeSchema>;

/** GET /api/history?limit=&cursor=: the newest takes first; pass nextCursor as cursor for the next page (absent on the last page). */
export const historyPageSchema = z.object({
  takes: z.array(takeSchema),
  nextCursor: z.string().optional(),
  /** One sentence when the store could not keep the latest run (a full disk, say); cleared once a later run is kept. */
  problem: z.string().optional(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

/** GET /api/history/:id: the take with its workflow JSON (as run, seeds still as the file had them) and its report. */
export const takeDetailSchema = takeSchema.extend({
  workflow: z.unknown().nullable(),
  report: servedRunReportSchema.nullable(),
});
export type TakeDetail = z.infer<typeof takeDetailSchema>;

/** POST /api/history/:id/pin body; the answer is the take. A pinned take is never removed by retention. */
export const pinTakeBodySchema = z.object({ pinned: z.boolean() });
export type PinTakeBody = z.infer<typeof pinTakeBodySchema>;

/** DELETE /api/history/:id answer. */
export const deletedTakeSchema = z.object({ id: z.string(), deleted: z.literal(true) });
export type DeletedTake = z.infer<typeof deletedTakeSchema>;

/**
 * POST /api/runs with "repeat": N (1..16) in its body: N runs queued in order, each with its own seeds
 * (-1 drawn per run, or fixed/increment/randomize per the workflow's meta.seedControl). Each is a
 * normal run (GET /api/runs/:id, events, cancel) and a take in the history once it ends.
 */
export const runBatchSchema = z.object({ runs: z.array(runStateSchema) });
export type RunBatch = z.infer<typeof runBatchSchema>;
