import { z } from 'zod';

/** An installed model pack as GET /api/models lists it. */
export const modelEntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  objective: z.enum(['rf_denoiser', 'rectified_flow']),
  /** The longest audio the pack makes, in seconds. */
  maxSeconds: z.number(),
});
export type ModelEntry = z.infer<typeof modelEntrySchema>;

export const modelListSchema = z.array(modelEntrySchema);
