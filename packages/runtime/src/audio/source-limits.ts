import { SAMPLE_RATE } from '@sa3/nodes';

/**
 * The longest audio the largest model works on: stable-audio-3-medium takes 16,777,216 samples,
 * 380 s at 44.1 kHz (reference/sa3-inference.md, 1.1).
 */
const LONGEST_MODEL_SECONDS = 380;

/**
 * The longest audio one source (a file, an upload, a URL, a data: URI) may decode to: three
 * times the longest model input, 1140 s (19 min). A source may well run longer than what a model
 * takes (a whole song to trim, loop or extend from), but no workflow needs an hour of it, and the
 * bound keeps one decoded source at about 400 MB of float32 PCM (44.1 kHz stereo) whatever the
 * file claims or holds.
 */
export const MAX_SOURCE_SECONDS = 3 * LONGEST_MODEL_SECONDS;
export const MAX_SOURCE_FRAMES = MAX_SOURCE_SECONDS * SAMPLE_RATE;

/** The limit as messages give it. */
export const MAX_SOURCE_TEXT = `${MAX_SOURCE_SECONDS} s (${MAX_SOURCE_SECONDS / 60} min) an audio source may last`;
