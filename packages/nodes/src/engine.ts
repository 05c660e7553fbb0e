import type { AudioClip } from './audio-clip.js';
import type { Conditioning, LoraAdapter } from './sockets.js';

/** What every engine call may report back and be stopped by. */
export interface EngineCallContext {
  readonly signal: AbortSignal;
  /** Called after each sampling step (1-based) and for other long phases. */
  onProgress(step: number, total: number, phase?: string): void;
}

interface SamplingRequest {
  readonly model: string;
  /** LoRA files applied in this order; none when absent. */
  readonly adapters?: readonly LoraAdapter[];
  readonly prompt: Conditioning;
  readonly negative?: Conditioning;
  readonly steps: number;
  readonly cfgScale: number;
  /** Already resolved: never -1 here. */
  readonly seed: number;
}

export interface GenerateRequest extends SamplingRequest {
  readonly durationSeconds: number;
}

export interface EditRequest extends SamplingRequest {
  readonly source: AudioClip;
  readonly initNoiseLevel: number;
  readonly durationSeconds: number;
}

/** A span to regenerate, in seconds, half-open: [startSeconds, endSeconds). */
export interface InpaintRegion {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

export interface InpaintRequest extends SamplingRequest {
  readonly source: AudioClip;
  /** Regenerated in one pass; overlapping or touching regions count as one. */
  readonly regions: readonly InpaintRegion[];
  readonly durationSeconds: number;
  readonly crossfadeMs: number;
}

/** The Stable Audio 3 model operations the mission nodes need; @sa3/runtime implements it. */
export interface Engine {
  /** Queue name for model work: one queue per device ("cpu", "cuda:0", ...). */
  readonly device: string;
  /** Content hash of the pack a model id resolves to, so cached results follow model changes. */
  packHash(model: string): Promise<string>;
  encodePrompt(text: string, model: string, ctx: EngineCallContext): Promise<Conditioning>;
  generate(request: GenerateRequest, ctx: EngineCallContext): Promise<AudioClip>;
  edit(request: EditRequest, ctx: EngineCallContext): Promise<AudioClip>;
  inpaint(request: InpaintRequest, ctx: EngineCallContext): Promise<AudioClip>;
  /**
   * Finds a LoRA file by path or by name among the installed ones and hashes it; engines
   * without LoRA support leave it out.
   */
  loraFile?(file: string): Promise<{ readonly path: string; readonly sha256: string }>;
}
