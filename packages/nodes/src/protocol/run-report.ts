import { z } from 'zod';
import { loudnessSummarySchema } from './loudness-summary.js';
import { problemSchema } from './problem.js';

const audioOutputSummarySchema = z.object({
  type: z.literal('audio'),
  frames: z.number(),
  seconds: z.number(),
  sampleRate: z.number(),
  channels: z.number(),
  peak: z.number(),
  loudness: loudnessSummarySchema.optional(),
});

const fileOutputSummarySchema = z.object({
  type: z.literal('file'),
  mime: z.string().optional(),
  extension: z.string().optional(),
  bytes: z.number(),
});

const conditioningOutputSummarySchema = z.object({
  type: z.literal('conditioning'),
  text: z.string(),
  model: z.string().optional(),
});

/** What events and reports say about one output of a node: sizes and levels, never the data. */
export const outputValueSummarySchema = z.discriminatedUnion('type', [audioOutputSummarySchema, fileOutputSummarySchema, conditioningOutputSummarySchema]);
export type OutputValueSummary = z.infer<typeof outputValueSummarySchema>;

/** A node's outputs by name, summarized. */
export const outputSummarySchema = z.record(z.string(), outputValueSummarySchema);
export type OutputSummary = z.infer<typeof outputSummarySchema>;

export const nodeStatusSchema = z.enum(['pending', 'done', 'cached', 'failed', 'cancelled', 'skipped']);
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

export const nodeReportSchema = z.object({
  id: z.string(),
  type: z.string(),
  status: nodeStatusSchema,
  cacheKey: z.string(),
  startedAt: z.string().optional(),
  ms: z.number().optional(),
  outputs: outputSummarySchema.optional(),
});
export type NodeReport = z.infer<typeof nodeReportSchema>;

export const outputFileReportSchema = z.object({
  node: z.string(),
  /** Relative to the output directory, with forward slashes. */
  path: z.string(),
  /** Where the file is on the disk of the process that ran it: in the CLI's reports, never in what a server sends. */
  absolutePath: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  mime: z.string(),
});
export type OutputFileReport = z.infer<typeof outputFileReportSchema>;

/** Why a run failed: 'input' when the user's input was at fault, 'run' when the run itself failed. */
export const runErrorReportSchema = problemSchema.extend({ kind: z.enum(['input', 'run']) });
export type RunErrorReport = z.infer<typeof runErrorReportSchema>;

export const runReportStatusSchema = z.enum(['running', 'succeeded', 'failed', 'cancelled']);

/** Seeds by node and param, as used: -1 already replaced by the value drawn at run start. */
export const runSeedsSchema = z.record(z.string(), z.record(z.string(), z.number()));

/** out/<run id>.report.json, and what the last event of a run carries. */
export const runReportSchema = z.object({
  format: z.literal('sa3-run-report'),
  version: z.literal(1),
  runId: z.string(),
  workflow: z.object({ name: z.string().optional(), sha256: z.string() }),
  status: runReportStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  seeds: runSeedsSchema,
  nodes: z.array(nodeReportSchema),
  outputs: z.array(outputFileReportSchema),
  cacheHits: z.number(),
  error: runErrorReportSchema.optional(),
});
export type RunReport = z.infer<typeof runReportSchema>;

/** An output file as a server reports it: no path on the server's disk. */
export const servedOutputFileSchema = outputFileReportSchema.omit({ absolutePath: true });
export type ServedOutputFile = z.infer<typeof servedOutputFileSchema>;

/** The run report as a server sends it (run states, SSE events): output files without their place on its disk. */
export const servedRunReportSchema = runReportSchema.extend({ outputs: z.array(servedOutputFileSchema) });
export type ServedRunReport = z.infer<typeof servedRunReportSchema>;
