/**
 * The notes a test pack can play. Each is an FFT bin of a 4096-sample latent frame, so a tone
 * has a whole number of cycles per frame and a steady tone has the same latent in every frame.
 */
import { LATENT_CHANNELS, MODEL_SAMPLE_RATE, SAMPLES_PER_LATENT } from '../pack-format/index.js';

/** Channels per stereo half: 0..127 left, 128..255 right. */
export const HALF_CHANNELS = LATENT_CHANNELS / 2;
/** The amplitude of a note the prompt names. */
export const TONE_AMPLITUDE = 0.5;

export interface TestNote {
  /** The vocabulary word that plays it. */
  readonly word: string;
  /** Its index k: the one-hot dimension in the text embedding, latent channels 2k (cos) and 2k+1 (sin). */
  readonly index: number;
  /** Cycles per 4096-sample frame (the FFT bin). */
  readonly bin: number;
  /** bin * 44100 / 4096 Hz. */
  readonly frequency: number;
}

const noteBins: readonly (readonly [string, number])[] = [
  ['low', 20],
  ['hum', 28],
  ['mid', 41],
  ['bright', 56],
  ['high', 82],
  ['bell', 110],
  ['whistle', 164],
  ['chirp', 320],
];

export const TESTPACK_NOTES: readonly TestNote[] = noteBins.map(([word, bin], index) => ({
  word,
  index,
  bin,
  frequency: (bin * MODEL_SAMPLE_RATE) / SAMPLES_PER_LATENT,
}));

export const NOTE_COUNT = TESTPACK_NOTES.length;

export function noteByWord(word: string): TestNote {
  const note = TESTPACK_NOTES.find((n) => n.word === word);
  if (!note) throw new RangeError(`"${word}" is not a test pack note; the notes are ${TESTPACK_NOTES.map((n) => n.word).join(', ')}`);
  return note;
}

/** The latent channels holding note k's cosine and sine coefficients, left then right. */
export function noteChannels(index: number): { readonly left: readonly [cos: number, sin: number]; readonly right: readonly [cos: number, sin: number] } {
  return { left: [2 * index, 2 * index + 1], right: [HALF_CHANNELS + 2 * index, HALF_CHANNELS + 2 * index + 1] };
}

/**
 * The latent frame [256] the DiT aims for when the prompt names these note words and nothing is
 * kept: each named note as a sine of amplitude 0.5 in both stereo halves.
 */
export function toneLatentFrame(words: readonly string[]): Float32Array {
  const frame = new Float32Array(LATENT_CHANNELS);
  for (const word of words) {
    const { left, right } = noteChannels(noteByWord(word).index);
    frame[left[1]] = TONE_AMPLITUDE;
    frame[right[1]] = TONE_AMPLITUDE;
  }
  return frame;
}
