import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type AudioClip, type LoudnessMeasurement, NodeError } from '@sa3/nodes';
import { type FfmpegTools, FfmpegFailure, createFfmpegCommand, firstErrorLine, runFfmpeg } from './ffmpeg.js';
import { filterOptionPath } from './ffmpeg-filter-text.js';
import { interleavedF32le } from './interleave.js';
import { withTempDir } from './temp-dir.js';

/** What ffmpeg should read: a clip (piped as f32le) or an encoded file on disk. */
export type MeasuredAudio = { readonly clip: AudioClip } | { readonly path: string };

/**
 * Measures loudness with ffmpeg's ebur128 filter (ITU-R BS.1770-4: K-weighting, gating, true peak
 * by 4x oversampling). The filter's per-100 ms metadata is printed to a file, read back and
 * reduced: its last entry holds the integrated loudness, the range and the true peaks so far.
 * Undefined when the audio stays under the -70 LUFS gate (silence), which has no loudness.
 */
export async function measureLoudness(
  tools: FfmpegTools,
  audio: MeasuredAudio,
  tempDir: string,
  signal: AbortSignal,
): Promise<LoudnessMeasurement | undefined> {
  return withTempDir(tempDir, async (dir) => {
    const log = join(dir, 'ebur128.txt');
    const input = 'clip' in audio ? Readable.from(interleavedF32le(audio.clip), { objectMode: false }) : undefined;
    try {
      const command = createFfmpegCommand(tools);
      if ('clip' in audio) {
        command
          .input(input!)
          .inputOptions([
            '-nostdin',
            '-hide_banner',
            '-v',
            'error',
            '-f',
            'f32le',
            '-ar',
            String(audio.clip.sampleRate),
            '-ac',
            String(audio.clip.channels.length),
          ]);
      } else {
        command.input(audio.path).inputOptions(['-nostdin', '-hide_banner', '-v', 'error']);
      }
      command
        .outputOptions(['-map', '0:a:0', '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${filterOptionPath(log)}`, '-f', 'null'])
        .output('-');
      await runFfmpeg(command, signal);
    } catch (error) {
      if (!(error instanceof FfmpegFailure)) throw error;
      throw new NodeError('loudness_failed', `ffmpeg could not measure the loudness: ${firstErrorLine(error.stderrLines) ?? error.message}`, { cause: error });
    } finally {
      input?.destroy();
    }
    return reduceMetadata(await readFile(log, 'utf8'));
  });
}

/** The loudness in ebur128's printed metadata: "lavfi.r128.I=-14.012" lines, one group per 100 ms. */
export function reduceMetadata(text: string): LoudnessMeasurement | undefined {
  let integrated = NaN;
  let range = NaN;
  let truePeak = NaN;
  let maxMomentary = -Infinity;
  let maxShortTerm = -Infinity;
  for (const line of text.split('\n')) {
    const match = /^lavfi\.r128\.([A-Za-z_.0-9]+)=(.+)$/.exec(line.trim());
    if (!match) continue;
    const value = Number(match[2]);
    switch (match[1]) {
      case 'I':
        integrated = value;
        break;
      case 'LRA':
        range = value;
        break;
      case 'true_peak':
        truePeak = value;
        break;
      case 'M':
        if (Number.isFinite(value)) maxMomentary = Math.max(maxMomentary, value);
        break;
      case 'S':
        if (Number.isFinite(value)) maxShortTerm = Math.max(maxShortTerm, value);
        break;
    }
  }
  // Below the absolute gate the filter reports -70 LUFS (or nothing at all for very short audio).
  if (!Number.isFinite(integrated) || integrated <= -70 || !(truePeak > 0)) return undefined;
  return {
    integratedLufs: integrated,
    rangeLu: Number.isFinite(range) ? range : 0,
    truePeakDbtp: 20 * Math.log10(truePeak),
    ...(Number.isFinite(maxMomentary) ? { maxMomentaryLufs: maxMomentary } : {}),
    ...(Number.isFinite(maxShortTerm) ? { maxShortTermLufs: maxShortTerm } : {}),
  };
}
