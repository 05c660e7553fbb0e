import type { AudioClip } from './audio-clip.js';

/** The kinds of value that travel along wires. An input accepts only its own type. */
export const socketTypes = {
  model: {
    label: 'Model',
    color: '#f472b6',
    description: 'A model pack id with an ordered stack of LoRA files, each with its strength, interval and layer filter.',
  },
  conditioning: { label: 'Conditioning', color: '#c084fc', description: 'An encoded prompt: text and, once encoded, token ids, encoder output and mask.' },
  audio: {
    label: 'Audio',
    color: '#38bdf8',
    description: 'Float32 PCM, 44.1 kHz stereo planar, with its duration; may carry the latents it was decoded from.',
  },
  file: { label: 'File', color: '#fbbf24', description: 'Encoded audio bytes with their MIME type and file extension.' },
} as const;

export type SocketType = keyof typeof socketTypes;

export function isSocketType(value: unknown): value is SocketType {
  return typeof value === 'string' && Object.hasOwn(socketTypes, value);
}

/** A prompt as it travels between nodes; `encoded` is filled by an engine and opaque to everything else. */
export interface Conditioning {
  readonly text: string;
  readonly model: string;
  readonly encoded?: unknown;
}

/** One LoRA file of a stack, as a `model` wire carries it (see ModelStack). */
export interface LoraAdapter {
  /** Absolute path of the adapter file. */
  readonly file: string;
  /** sha256 of the file's bytes; a run refuses the file when it no longer has this hash. */
  readonly sha256: string;
  /** Any finite number; 0 leaves the model as it is, negative pushes the other way. */
  readonly strength: number;
  /** The adapter changes the DiT only at steps whose t lies in [min, max] (inclusive); the conditioner always. */
  readonly interval: readonly [number, number];
  /** Comma-separated DiT layer-name patterns (with [a-b] ranges) the adapter leaves alone; "" for none. */
  readonly layerFilter: string;
}

/** A model as it travels between nodes: the pack and the LoRA files applied to it, in order. */
export interface ModelStack {
  readonly pack: string;
  readonly adapters: readonly LoraAdapter[];
}

export interface EncodedFile {
  readonly bytes: Uint8Array;
  readonly mime: string;
  /** Without the dot: "wav", "mp3", "flac", "ogg". */
  readonly extension: string;
}

export interface SocketValues {
  model: ModelStack;
  conditioning: Conditioning;
  audio: AudioClip;
  file: EncodedFile;
}
