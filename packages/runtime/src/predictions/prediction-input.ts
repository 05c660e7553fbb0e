/**
 * The input of one prediction, named exactly as the hosted stable-audio-3-medium model's schema
 * (reference/replicate-stable-audio-3-medium.schema.json), plus the model pack to use.
 */
export interface PredictionInput {
  readonly prompt: string;
  readonly negative_prompt?: string;
  readonly duration?: number;
  readonly steps?: number;
  readonly cfg_scale?: number;
  readonly seed?: number;
  readonly init_audio?: string | null;
  readonly init_noise_level?: number;
  readonly inpaint_audio?: string | null;
  readonly inpaint_start_seconds?: number;
  readonly inpaint_end_seconds?: number;
  readonly output_format?: 'wav' | 'mp3' | 'flac' | 'ogg';
  /** Not in the hosted schema: which installed pack runs it ("auto" by default). */
  readonly model?: string;
}
