/** Loudness as EBU R128 / ITU-R BS.1770 measure it; what audio.loudness reports and audio.save writes into files. */
export interface LoudnessLevels {
  /** Integrated (programme) loudness, gated, in LUFS. */
  readonly integratedLufs: number;
  /** Loudness range (LRA), in LU. */
  readonly rangeLu: number;
  /** Highest true (inter-sample) peak over all channels, in dBTP. */
  readonly truePeakDbtp: number;
}

/** Loudness of a clip as measured after it was made, with how it was reached when audio.loudness made it. */
export interface LoudnessMeasurement extends LoudnessLevels {
  /** Highest momentary (400 ms) loudness, in LUFS, when it was measured. */
  readonly maxMomentaryLufs?: number;
  /** Highest short-term (3 s) loudness, in LUFS, when it was measured. */
  readonly maxShortTermLufs?: number;
  /** The levels of the audio before normalization. */
  readonly source?: LoudnessLevels;
  /** 'linear': one gain for the whole clip; 'dynamic': a gain that follows the audio, with a true-peak limiter. */
  readonly mode?: 'linear' | 'dynamic';
}

/** What audio.loudness asks for: the ranges are those of ffmpeg's loudnorm filter. */
export interface LoudnessTarget {
  readonly integratedLufs: number;
  readonly truePeakDbtp: number;
  readonly rangeLu: number;
}

export const LOUDNESS_LIMITS = {
  integratedLufs: { min: -70, max: -5 },
  truePeakDbtp: { min: -9, max: 0 },
  rangeLu: { min: 1, max: 50 },
} as const;
