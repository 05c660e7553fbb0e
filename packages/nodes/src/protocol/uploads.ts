import { z } from 'zod';

/** What POST /api/uploads answers: the id an audio.load source param takes (upload:<name>). */
export const uploadReceiptSchema = z.object({
  id: z.string().startsWith('upload:'),
  bytes: z.number().int().positive(),
});
export type UploadReceipt = z.infer<typeof uploadReceiptSchema>;
