import { z } from 'zod';

/** A LoRA file installed in $SA3_HOME/loras, as GET /api/loras lists it. */
export const loraEntrySchema = z.object({
  /** What an sa3.lora node's file param names it by. */
  name: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  adapterType: z.string().optional(),
  rank: z.number().optional(),
});
export type LoraEntry = z.infer<typeof loraEntrySchema>;

export const loraListSchema = z.array(loraEntrySchema);
