import { z } from 'zod';

/** An installed model pack as GET /api/models lists it. */
export const modelEntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  objective: z.enum(['rf_denoiser', 'rectified_flow']),
  /** The longest audio the pack makes, in seconds. */
  maxSeconds: z.number(),
  /** The pack "auto" picks on this server. */
  auto: z.boolean().optional(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const modelListSchema = z.array(modelEntrySchema);

/** A pack the server knows how to get, as GET /api/models/catalogue lists it. */
export const catalogueModelSchema = z.object({
  id: z.string(),
  title: z.string(),
  /** installed; pullable (download); convertible (download a checkpoint and convert it); or neither yet, with `reason`. */
  status: z.enum(['installed', 'pullable', 'convertible', 'unavailable']),
  reason: z.string().optional(),
  /** About how much the pull downloads. */
  approxBytes: z.number(),
  maxSeconds: z.number(),
});
export type CatalogueModel = z.infer<typeof catalogueModelSchema>;

export const catalogueModelListSchema = z.array(catalogueModelSchema);

/** A pull the server runs for the editor (POST, then GET /api/models/:id/pull until it has ended). */
export const modelPullStateSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'installed', 'failed', 'cancelled']),
  /** What it is doing now, in a few words: "downloading dit.onnx", "converting dit", "verifying". */
  phase: z.string(),
  /** Bytes (or, while converting, steps) done of `total` in this phase. */
  done: z.number(),
  total: z.number(),
  /** Bytes downloaded and planned over the whole pull. */
  bytesDone: z.number(),
  bytesTotal: z.number(),
  /** Why it failed, in one sentence. */
  message: z.string().optional(),
});
export type ModelPullState = z.infer<typeof modelPullStateSchema>;
