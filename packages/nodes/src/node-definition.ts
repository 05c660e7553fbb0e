import type { Engine } from './engine.js';
import type { ParamSpecs, ParamValues } from './params/index.js';
import type { AudioClip } from './audio-clip.js';
import type { LoudnessTarget } from './loudness.js';
import type { EncodedFile, SocketType, SocketValues } from './sockets.js';

export interface InputSpec {
  readonly type: SocketType;
  readonly label: string;
  readonly optional?: boolean;
}

export interface OutputSpec {
  readonly type: SocketType;
  readonly label: string;
}

export type InputSpecs = Readonly<Record<string, InputSpec>>;
export type OutputSpecs = Readonly<Record<string, OutputSpec>>;

type InputValues<I extends InputSpecs> = {
  readonly [K in keyof I]: I[K]['optional'] extends true ? SocketValues[I[K]['type']] | undefined : SocketValues[I[K]['type']];
};
type OutputValues<O extends OutputSpecs> = { [K in keyof O]: SocketValues[O[K]['type']] };

export type WavBitDepth = '16' | '24' | '32f';

export type EncodeOptions =
  | { readonly format: 'wav'; readonly bitDepth: WavBitDepth }
  | { readonly format: 'mp3'; readonly bitrateKbps: number }
  | { readonly format: 'flac'; readonly compressionLevel: number }
  | { readonly format: 'ogg'; readonly quality: number };

/** Audio decoding/encoding, implemented by the host (ffmpeg in @sa3/runtime). */
export interface AudioIO {
  /** Decodes a path, http(s) URL, data: URI or upload id to 44.1 kHz stereo float32. */
  load(source: string, signal: AbortSignal): Promise<AudioClip>;
  /** A cheap identity of what `source` points at now (size and mtime of a file), for caching. */
  fingerprint(source: string): Promise<string>;
  encode(clip: AudioClip, options: EncodeOptions, signal: AbortSignal): Promise<EncodedFile>;
  /**
   * Brings the clip's integrated loudness to the target under the true-peak ceiling (EBU R128),
   * keeping its length and sample rate; the result carries its measured loudness.
   */
  normalizeLoudness(clip: AudioClip, target: LoudnessTarget, signal: AbortSignal): Promise<AudioClip>;
}

export interface NodeServices {
  readonly engine: Engine | null;
  readonly audio: AudioIO;
}

/** A file a node hands to the runtime as a workflow output; the runtime names and writes it. */
export interface EmittedFile {
  readonly file: EncodedFile;
  /** Relative file name pattern, already checked not to leave the output directory. */
  readonly filenamePattern: string;
}

export interface RunContext<P extends ParamSpecs, I extends InputSpecs> {
  readonly nodeId: string;
  readonly params: ParamValues<P>;
  readonly inputs: InputValues<I>;
  readonly services: NodeServices;
  readonly signal: AbortSignal;
  /** Plain functions rather than methods: run() takes them out of the context and calls them on their own. */
  readonly progress: (step: number, total: number, phase?: string) => void;
  readonly emitFile: (file: EmittedFile) => void;
}

export type NodeCategory = 'Stable Audio 3' | 'Audio I/O' | 'Audio utilities';

/** A check across several params or inputs (end after start...), reported like a param problem. */
export interface CrossCheck<P extends ParamSpecs> {
  readonly param: keyof P & string;
  readonly code: string;
  readonly message: string;
  fails(params: ParamValues<P>): boolean;
}

export interface NodeDefinition<P extends ParamSpecs = ParamSpecs, I extends InputSpecs = InputSpecs, O extends OutputSpecs = OutputSpecs> {
  readonly type: string;
  readonly typeVersion: number;
  readonly title: string;
  readonly category: NodeCategory;
  readonly description: string;
  readonly inputs: I;
  readonly outputs: O;
  readonly params: P;
  /** Inputs of which at least one must be connected. */
  readonly requireOneInputOf?: readonly (keyof I & string)[];
  readonly checks?: readonly CrossCheck<P>[];
  /** Model work goes through the engine's per-device queue. */
  readonly usesModel?: boolean;
  /** Output nodes always run (they hand files to the runtime) and are never served from cache. */
  readonly isOutput?: boolean;
  /**
   * Upgrades params written for an older typeVersion: `migrations[n]` turns version n params into
   * version n+1 params.
   */
  readonly migrations?: Readonly<Record<number, (params: Record<string, unknown>) => Record<string, unknown>>>;
  /** Extra cache identity beyond params and inputs (what a file path points at now). */
  fingerprint?(params: ParamValues<P>, services: NodeServices): Promise<string>;
  /** The outputs, returned directly by nodes that only compute, or a Promise by nodes that wait on I/O or the model. */
  run(ctx: RunContext<P, I>): OutputValues<O> | Promise<OutputValues<O>>;
}

/** Identity function that keeps the literal types of a definition so run() is fully typed. */
export function defineNode<const P extends ParamSpecs, const I extends InputSpecs, const O extends OutputSpecs>(
  definition: NodeDefinition<P, I, O>,
): NodeDefinition<P, I, O> {
  return definition;
}

/** A definition with its generic types erased, as the catalogue and the runtime handle them. */
export type AnyNodeDefinition = NodeDefinition<ParamSpecs, InputSpecs, OutputSpecs>;
