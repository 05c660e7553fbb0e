/**
 * sa3-pack.json: what a model pack folder holds and how its graphs are wired. The engine reads
 * only this file to know which graphs to open, what their inputs and outputs are called, and
 * which sampler and length rule apply.
 */
import type { MODEL_SAMPLE_RATE } from './model-constants.js';

export const PACK_FORMAT = 'sa3-pack';
export const PACK_VERSION = 1;
export const PACK_MANIFEST = 'sa3-pack.json';

export type TensorDtype = 'float32' | 'float16' | 'int64' | 'int32' | 'bool';

/** A dimension is a fixed size or a named symbol ("L", "N", "batch") that may vary. */
export type Dim = number | string;

export interface TensorSpec {
  readonly name: string;
  readonly dtype: TensorDtype;
  readonly shape: readonly Dim[];
}

export interface GraphSpec {
  /** Path inside the pack folder. */
  readonly file: string;
  /** Files the graph loads its weights from (ONNX external data), inside the pack folder. */
  readonly externalData?: readonly string[];
  readonly inputs: Readonly<Record<string, TensorSpec>>;
  readonly outputs: Readonly<Record<string, TensorSpec>>;
}

/**
 * How the DiT takes its conditioning.
 * - "baked": the official canonical export; the learned padding and the seconds embedder are
 *   inside the graph (inputs x, t, t5_hidden, t5_mask, seconds_total, local_add_cond).
 * - "explicit": cross_attn_cond and global_embed built outside the DiT (by the conditioner
 *   graph or in TypeScript from conditioner weights); may take a padding (key) mask.
 */
export type DitLayout = 'baked' | 'explicit';

export interface PackFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface PackManifest {
  readonly format: typeof PACK_FORMAT;
  readonly version: typeof PACK_VERSION;
  readonly id: string;
  readonly title: string;
  readonly family: 'small' | 'medium';
  /** rf_denoiser (post-trained: ping-pong) or rectified_flow (base: Euler + CFG). */
  readonly objective: 'rf_denoiser' | 'rectified_flow';
  readonly sampleRate: typeof MODEL_SAMPLE_RATE;
  readonly latentChannels: number;
  readonly samplesPerLatent: number;
  /** The model config's sample_size: the longest audio, in samples, the pack makes. */
  readonly maxSamples: number;
  readonly text: {
    readonly tokenizer: string;
    readonly maxTokens: number;
    readonly hiddenSize: number;
  };
  readonly ditLayout: DitLayout;
  /** Packs sa3 converted: what the DiT and text encoder compute in (see `sa3 models convert --precision`). */
  readonly precision?: 'fp32' | 'fp16' | 'int8';
  /** For the explicit layout without a conditioner graph: safetensors with the conditioner weights. */
  readonly conditionerWeights?: string;
  readonly codec: {
    /** Latents per chunk for chunked encode and decode, and the overlap between chunks. */
    readonly chunkLatents: number;
    readonly overlapLatents: number;
    /** The encoder needs its input length to be a multiple of this many latents (SAME-S: 2). */
    readonly encoderMultipleLatents: number;
    /** The decoder pads an odd latent count to even and returns one extra latent of audio (SAME-S). */
    readonly decoderEvenLatents: boolean;
    /**
     * For a decoder whose output is int32 "pcm" [1,N,2] (the published SAME-S decoder's
     * PCM-baked variant): the value full scale (1.0) is multiplied by before the cast.
     */
    readonly pcmFullScale?: number;
  };
  readonly graphs: {
    readonly textEncoder: GraphSpec;
    readonly dit: GraphSpec;
    readonly encoder: GraphSpec;
    readonly decoder: GraphSpec;
    /** Explicit layout only, when the seconds conditioner is a graph of its own. */
    readonly conditioner?: GraphSpec;
  };
  readonly files: readonly PackFile[];
  /** Where the pack came from and under which licence, for `sa3 models list`. */
  readonly source?: {
    readonly repo?: string;
    /** The commit of `repo` the pack was pulled at (or how it was imported). */
    readonly revision?: string;
    /** Every repo the files came from, with its commit. */
    readonly commits?: Readonly<Record<string, string>>;
    readonly licence?: string;
    readonly note?: string;
  };
}

/**
 * The input and output roles each graph must have. Manifests map roles to the graphs' actual
 * tensor names, so packs exported with other names load without re-exporting.
 */
export const graphRoles = {
  textEncoder: { inputs: ['input_ids', 'attention_mask'], outputs: ['hidden_states'] },
  dit: {
    baked: { inputs: ['x', 't', 't5_hidden', 't5_mask', 'seconds_total', 'local_add_cond'], outputs: ['velocity'] },
    explicit: { inputs: ['x', 't', 'cross_attn_cond', 'global_embed', 'local_add_cond'], optionalInputs: ['padding_mask'], outputs: ['velocity'] },
  },
  encoder: { inputs: ['audio'], outputs: ['latents'] },
  /** The decoder's output is float "audio" [1,2,N] or, in the PCM-baked variant, int32 "pcm" [1,N,2]. */
  decoder: { inputs: ['latents'], outputs: ['audio'] },
  pcmDecoder: { inputs: ['latents'], outputs: ['pcm'] },
  conditioner: { inputs: ['seconds'], outputs: ['embedding'] },
} as const;
