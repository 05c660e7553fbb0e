import { z } from 'zod';
import type { LoudnessMeasurement } from '../loudness.js';

const levels = {
  integratedLufs: z.number(),
  rangeLu: z.number(),
  truePeakDbtp: z.number(),
};

/** The loudness an audio output summary carries when audio.loudness measured it. */
export const loudnessSummarySchema = z.object({
  ...levels,
  maxMomentaryLufs: z.number().optional(),
  maxShortTermLufs: z.number().optional(),
  source: z.object(levels).optional(),
  mode: z.enum(['linear', 'dynamic']).optional(),
}) satisfies z.ZodType<LoudnessMeasurement>;
