import { Readable, Writable } from 'node:stream';
import {
  type AudioClip,
  type LoudnessLevels,
  type LoudnessMeasurement,
  type LoudnessTarget,
  LOUDNESS_LIMITS,
  NodeError,
  cancelledError,
  frameCount,
  scaleClip,
} from '@sa3/nodes';
import { measureLoudness } from './ebur128.js';
import { type FfmpegCommand, type FfmpegTools, FfmpegFailure, createFfmpegCommand, firstErrorLine, runFfmpeg } from './ffmpeg.js';
import { interleavedF32le } from './interleave.js';
import { PlanarPcm } from './planar-pcm.js';

/** What loudnorm's first pass measured, as the second pass takes it back. */
interface FirstPass {
  readonly levels: LoudnessLevels;
  readonly threshold: number;
  readonly targetOffset: number;
}

// Resampling from loudnorm's 192 kHz back to the clip's rate may end a few frames early or late.
const MAX_LENGTH_DRIFT_FRAMES = 64;
// loudnorm reads a measured LRA of 0 as "not measured" and then refuses linear mode; a steady tone
// measures 0.00, so it is given as the smallest value the filter's two decimals can state.
const SMALLEST_STATED_LRA = 0.01;
// How far under the ceiling a corrected true peak is put, for the rounding of ebur128's printed peaks.
const CEILING_MARGIN_DB = 0.05;

/**
 * EBU R128 loudness normalization in two passes of ffmpeg's loudnorm, as its documentation
 * describes: the first measures (integrated loudness, range, true peak, gate threshold), the second
 * is given those values with linear=true, so the filter applies one gain to the whole clip whenever
 * that keeps the true peak under the ceiling and the range within the target, and its dynamic mode
 * (upsampled to 192 kHz, gain that follows the audio, true-peak limiter) otherwise. The output
 * goes back to the clip's own rate and exact length, and is measured again with ebur128.
 */
export async function normalizeLoudness(tools: FfmpegTools, clip: AudioClip, target: LoudnessTarget, tempDir: string, signal: AbortSignal): Promise<AudioClip> {
  checkTarget(target);
  const frames = frameCount(clip);
  if (frames === 0) throw new NodeError('loudness_unmeasurable', 'the audio is empty, so it has no loudness to normalize', { input: 'audio', kind: 'input' });
  const first = await measurePass(tools, clip, target, signal);
  if (first === undefined) {
    throw new NodeError(
      'loudness_unmeasurable',
      'the audio is silent (or shorter than the 400 ms a loudness measurement needs), so it has no loudness to bring to the target',
      { input: 'audio', kind: 'input' },
    );
  }
  const { clip: normalized, mode } = await normalizePass(tools, clip, target, first, signal);
  let result = normalized;
  let measured = await remeasure(tools, result, tempDir, signal);
  // In dynamic mode loudnorm's limiter works at 192 kHz and lets the last seconds through
  // unlimited, so the true peak at the clip's own rate can end above the ceiling: one gain for
  // the whole clip then brings it under, at the cost of as much integrated loudness.
  if (measured.truePeakDbtp > target.truePeakDbtp) {
    result = scaleClip(result, Math.pow(10, (target.truePeakDbtp - CEILING_MARGIN_DB - measured.truePeakDbtp) / 20));
    measured = await remeasure(tools, result, tempDir, signal);
  }
  const loudness: LoudnessMeasurement = { ...measured, source: first.levels, mode };
  return { sampleRate: clip.sampleRate, channels: result.channels, loudness };
}

async function remeasure(tools: FfmpegTools, clip: AudioClip, tempDir: string, signal: AbortSignal): Promise<LoudnessMeasurement> {
  const measured = await measureLoudness(tools, { clip }, tempDir, signal);
  if (measured === undefined) throw new NodeError('loudness_failed', 'the normalized audio could not be measured again: ffmpeg found it silent');
  return measured;
}

function checkTarget(target: LoudnessTarget): void {
  const ranges = [
    ['integratedLufs', 'target_lufs', 'LUFS'],
    ['truePeakDbtp', 'true_peak_dbtp', 'dBTP'],
    ['rangeLu', 'loudness_range', 'LU'],
  ] as const;
  for (const [field, param, unit] of ranges) {
    const { min, max } = LOUDNESS_LIMITS[field];
    const value = target[field];
    if (!(value >= min && value <= max)) {
      throw new NodeError(
        'value_out_of_range',
        `${param} is ${value} ${unit}, outside the ${min}..${max} ${unit} that EBU R128 loudness normalization accepts`,
        {
          param,
          kind: 'input',
        },
      );
    }
  }
}

function loudnormOptions(target: LoudnessTarget): string[] {
  return [`I=${target.integratedLufs}`, `TP=${target.truePeakDbtp}`, `LRA=${target.rangeLu}`];
}

/** Pass 1: loudnorm's own measurement. Undefined for silence (loudnorm reports -inf). */
async function measurePass(tools: FfmpegTools, clip: AudioClip, target: LoudnessTarget, signal: AbortSignal): Promise<FirstPass | undefined> {
  const filter = `loudnorm=${[...loudnormOptions(target), 'print_format=json'].join(':')}`;
  const stats = await runLoudnorm(tools, clip, filter, null, signal);
  const levels = { integratedLufs: Number(stats.input_i), rangeLu: Number(stats.input_lra), truePeakDbtp: Number(stats.input_tp) };
  if (![levels.integratedLufs, levels.truePeakDbtp].every(Number.isFinite) || levels.integratedLufs <= -70) return undefined;
  return { levels, threshold: Number(stats.input_thresh), targetOffset: Number(stats.target_offset) };
}

/** Pass 2: the normalization itself, told what pass 1 measured. */
async function normalizePass(
  tools: FfmpegTools,
  clip: AudioClip,
  target: LoudnessTarget,
  first: FirstPass,
  signal: AbortSignal,
): Promise<{ clip: AudioClip; mode: 'linear' | 'dynamic' }> {
  const measured = [
    `measured_I=${first.levels.integratedLufs}`,
    `measured_TP=${first.levels.truePeakDbtp}`,
    `measured_LRA=${Math.max(first.levels.rangeLu, SMALLEST_STATED_LRA)}`,
    `measured_thresh=${first.threshold}`,
    ...(Number.isFinite(first.targetOffset) ? [`offset=${first.targetOffset}`] : []),
  ];
  const filter = [
    `loudnorm=${[...loudnormOptions(target), ...measured, 'linear=true', 'print_format=json'].join(':')}`,
    `aresample=${clip.sampleRate}`,
    `aformat=sample_fmts=flt:sample_rates=${clip.sampleRate}`,
  ].join(',');
  const frames = frameCount(clip);
  const pcm = new PlanarPcm(clip.channels.length, frames + MAX_LENGTH_DRIFT_FRAMES, frames);
  const stats = await runLoudnorm(tools, clip, filter, pcm, signal);
  if (pcm.overflowed || Math.abs(pcm.frames - frames) > MAX_LENGTH_DRIFT_FRAMES) {
    throw new NodeError('loudness_failed', `loudness normalization returned ${pcm.frames} frames for ${frames}`);
  }
  const mode = stats.normalization_type === 'linear' ? 'linear' : 'dynamic';
  return { clip: { sampleRate: clip.sampleRate, channels: pcm.take().map((channel) => exactLength(channel, frames)) }, mode };
}

/** The channel cut or padded (with the silence the resampler's filter tail was heading to) to `frames`. */
function exactLength(channel: Float32Array, frames: number): Float32Array {
  if (channel.length === frames) return channel;
  if (channel.length > frames) return channel.slice(0, frames);
  const out = new Float32Array(frames);
  out.set(channel);
  return out;
}

/**
 * Runs loudnorm on the clip; its statistics (the JSON it prints at the end) are returned, and the
 * filtered audio goes into `pcm` (or nowhere for a measuring pass).
 */
async function runLoudnorm(tools: FfmpegTools, clip: AudioClip, filter: string, pcm: PlanarPcm | null, signal: AbortSignal): Promise<Record<string, string>> {
  const input = Readable.from(interleavedF32le(clip), { objectMode: false });
  const channels = clip.channels.length;
  let sink: Writable | undefined;
  let drained: Promise<void> = Promise.resolve();
  const command: FfmpegCommand = createFfmpegCommand(tools)
    .input(input)
    .inputOptions(['-nostdin', '-hide_banner', '-nostats', '-v', 'info', '-f', 'f32le', '-ar', String(clip.sampleRate), '-ac', String(channels)])
    .outputOptions(['-af', filter]);
  if (pcm) {
    // emitClose: false, because fluent-ffmpeg reports an error when its output stream closes first.
    sink = new Writable({
      emitClose: false,
      write(chunk: Buffer, _encoding, callback) {
        pcm.append(chunk);
        callback();
      },
    });
    drained = new Promise<void>((resolve) => sink!.once('finish', resolve));
    command.outputOptions(['-c:a', 'pcm_f32le', '-ac', String(channels), '-f', 'f32le']).output(sink);
  } else {
    command.outputOptions(['-f', 'null']).output('-');
  }
  const stats = collectStats(command);
  try {
    await runFfmpeg(command, signal);
  } catch (error) {
    if (!(error instanceof FfmpegFailure)) throw error;
    throw new NodeError('loudness_failed', `ffmpeg could not normalize the loudness: ${firstErrorLine(error.stderrLines) ?? error.message}`, { cause: error });
  } finally {
    input.destroy();
  }
  // fluent-ffmpeg reports the exit before stdout has necessarily been drained into the sink.
  await drained;
  if (signal.aborted) throw cancelledError();
  const parsed = stats();
  if (!parsed) throw new NodeError('loudness_failed', "ffmpeg's loudnorm filter printed no statistics");
  return parsed;
}

/** Listens to ffmpeg's stderr for the JSON block loudnorm prints after its "[Parsed_loudnorm_0 @ ...]" line. */
function collectStats(command: FfmpegCommand): () => Record<string, string> | undefined {
  let block: string[] | null = null;
  let text: string | null = null;
  command.on('stderr', (line: string) => {
    if (text !== null) return;
    if (block === null) {
      if (/^\[Parsed_loudnorm_\d+ @/.test(line.trim())) block = [line];
      return;
    }
    block.push(line);
    if (line.trim() === '}') text = block.join('\n');
  });
  return () => {
    if (text === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(text.slice(text.indexOf('{')));
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
    } catch {
      return undefined;
    }
  };
}
