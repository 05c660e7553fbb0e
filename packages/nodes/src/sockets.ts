import type { AudioClip } from './audio-clip.js';

/** The three kinds of value that travel along wires. An input accepts only its own type. */
export const socketTypes = {
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

export interface EncodedFile {
  readonly bytes: Uint8Array;
  readonly mime: string;
  /** Without the dot: "wav", "mp3", "flac", "ogg". */
  readonly extension: string;
}

export interface SocketValues {
  conditioning: Conditioning;
  audio: AudioClip;
  file: EncodedFile;
}
