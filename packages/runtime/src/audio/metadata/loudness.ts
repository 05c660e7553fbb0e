import type { LoudnessMeasurement } from '@sa3/nodes';
import { embedBext } from './bext.js';
import { setFlacComments } from './flac.js';
import { setMp3UserText } from './id3.js';
import { setOggComments } from './ogg.js';

/** ReplayGain 2.0's reference loudness: a track gain brings the track to this level. */
export const REPLAYGAIN_REFERENCE_LUFS = -18;

/**
 * The tags a measured file carries, as [key, value]: ReplayGain 2.0 (track gain to -18 LUFS in dB,
 * track peak as a linear amplitude, here the true peak) and the measurement itself (integrated
 * loudness, loudness range, true peak).
 */
export function loudnessTags(loudness: LoudnessMeasurement): [string, string][] {
  return [
    ['REPLAYGAIN_TRACK_GAIN', `${(REPLAYGAIN_REFERENCE_LUFS - loudness.integratedLufs).toFixed(2)} dB`],
    ['REPLAYGAIN_TRACK_PEAK', Math.pow(10, loudness.truePeakDbtp / 20).toFixed(6)],
    ['REPLAYGAIN_REFERENCE_LOUDNESS', `${REPLAYGAIN_REFERENCE_LUFS.toFixed(2)} LUFS`],
    ['LOUDNESS_INTEGRATED', `${loudness.integratedLufs.toFixed(2)} LUFS`],
    ['LOUDNESS_RANGE', `${loudness.rangeLu.toFixed(2)} LU`],
    ['LOUDNESS_TRUE_PEAK', `${loudness.truePeakDbtp.toFixed(2)} dBTP`],
  ];
}

/**
 * Writes the loudness into an encoded file's metadata where its format keeps it: WAV in a bext
 * chunk (version 2), MP3 in ID3v2 TXXX frames, FLAC and Ogg in Vorbis comments. Files of other
 * types are returned unchanged; the audio data is never touched.
 */
export function embedLoudness(bytes: Uint8Array, extension: string, loudness: LoudnessMeasurement): Uint8Array {
  switch (extension.toLowerCase()) {
    case 'wav':
      return embedBext(bytes, loudness);
    case 'mp3':
      return setMp3UserText(bytes, loudnessTags(loudness));
    case 'flac':
      return setFlacComments(bytes, loudnessTags(loudness));
    case 'ogg':
    case 'opus':
      return setOggComments(bytes, loudnessTags(loudness));
    default:
      return bytes;
  }
}
