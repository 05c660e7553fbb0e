import { z } from 'zod';
import { servedOutputFileSchema, servedRunReportSchema } from './run-report.js';

/** 'interrupted': the server stopped (killed, crashed) while the run was queued or running; its report's error says so. */
export const runStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** A file the run wrote, with the URL that serves it (GET /api/runs/:id/outputs/<path>). */
export const runOutputSchema = servedOutputFileSchema.extend({ url: z.string() });
export type RunOutput = z.infer<typeof runOutputSchema>;

/** A run as POST /api/runs, GET /api/runs/:id and POST /api/runs/:id/cancel answer it. */
export const runStateSchema = z.object({
  id: z.string(),
  status: runStatusSchema,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** How many events the run has emitted so far. */
  events: z.number(),
  /** Null until the run has finished. */
  report: servedRunReportSchema.nullable(),
  outputs: z.array(runOutputSchema),
});
export type RunState = z.infer<typeof runStateSchema>;
