import { Writable } from 'node:stream';
import { type AudioClip, CHANNELS, SAMPLE_RATE, cancelledError } from '@sa3/nodes';
import { type FfmpegTools, FfmpegFailure, createFfmpegCommand, firstErrorLine, runFfmpeg } from './ffmpeg.js';
import { type ProbeResult, type ProbedStream, probeFile } from './ffprobe.js';
import { PlanarPcm } from './planar-pcm.js';
import { showSource, sourceError } from './source-errors.js';
import { MAX_SOURCE_FRAMES, MAX_SOURCE_SECONDS, MAX_SOURCE_TEXT } from './source-limits.js';
import { readWavDataPromise } from './wav-layout.js';

// Codecs whose container states the exact length; lossy codecs add encoder delay and padding.
const EXACT_LENGTH_CODEC = /^(pcm_|flac$|alac$|wavpack$|tta$)/;
const EXACT_TOLERANCE_SECONDS = 0.005;
// An MP3's header duration counts whole 1152-sample frames including delay and padding.
const LOSSY_TOLERANCE_SECONDS = 0.1;

/**
 * Decodes a local file to 44.1 kHz stereo float32 (mono is duplicated, more channels are
 * downmixed by ffmpeg). `source` is what the user wrote, used in error messages.
 */
export async function decodeAudioFile(tools: FfmpegTools, path: string, source: string, signal: AbortSignal): Promise<AudioClip> {
  const shown = showSource(source);
  const corrupt = (reason: string | undefined) =>
    sourceError('audio_corrupt', `${shown} could not be decoded as audio: ${reason ?? 'ffmpeg does not recognise its format'}`);

  const outcome = await probeFile(tools, path, signal);
  if (!outcome.ok) throw corrupt(firstErrorLine(outcome.stderrLines, path));
  const probe = outcome.probe;
  // ffmpeg reads any *.txt file as ANSI art ("tty" video), which is not worth calling a video.
  if (probe.formatName === 'tty') throw corrupt('it is a text file');
  const stream = probe.streams.find((s) => s.codecType === 'audio');
  if (!stream) {
    const found = [...new Set(probe.streams.map((s) => s.codecType))].join(', ') || 'no streams';
    throw sourceError('audio_no_stream', `${shown} contains no audio stream (found: ${found})`);
  }

  const promisedSeconds = await promisedDuration(path, probe, stream, shown);
  if (promisedSeconds !== undefined && promisedSeconds > MAX_SOURCE_SECONDS) {
    throw sourceError('audio_too_long', `${shown} lasts ${seconds(promisedSeconds)} by its header, more than the ${MAX_SOURCE_TEXT}; cut it shorter first`);
  }
  // ffmpeg's own mono-to-stereo upmix lowers the level by 3 dB; copying the channel keeps it.
  const decodedChannels = stream.channels === 1 ? 1 : CHANNELS;
  // PCM in WAV cannot fail to decode, and a WAV streamed with unknown sizes ends in a short read
  // that -xerror would call corrupt; the header check above covers truncation there.
  const strict = !(probe.formatName === 'wav' && (stream.codecName ?? '').startsWith('pcm_'));
  const expectedFrames = promisedSeconds === undefined ? undefined : Math.ceil(promisedSeconds * SAMPLE_RATE);
  const settings = { streamIndex: stream.index, channels: decodedChannels, strict, expectedFrames };
  const { pcm, failure } = await runDecoder(tools, path, settings, signal);
  // A header can lie (or say nothing): the limit holds on what ffmpeg actually put out.
  if (pcm.overflowed) {
    const claim = promisedSeconds === undefined ? 'its header gives no length' : `its header says ${seconds(promisedSeconds)}`;
    throw sourceError('audio_too_long', `${shown} decodes to more than the ${MAX_SOURCE_TEXT} (${claim}); cut it shorter first`);
  }
  const decoded = pcm.take();
  const channels = decodedChannels === 1 ? [decoded[0]!, decoded[0]!.slice()] : decoded;
  const frames = pcm.frames;
  const decodedSeconds = frames / SAMPLE_RATE;

  const tolerance = EXACT_LENGTH_CODEC.test(stream.codecName ?? '') ? EXACT_TOLERANCE_SECONDS : LOSSY_TOLERANCE_SECONDS;
  if (promisedSeconds !== undefined && decodedSeconds < promisedSeconds - tolerance) {
    throw sourceError(
      'audio_truncated',
      `${shown} is truncated or damaged: its header promises ${seconds(promisedSeconds)} of audio but only ${seconds(decodedSeconds)} could be decoded`,
    );
  }
  if (failure) throw corrupt(firstErrorLine(failure.stderrLines, path) ?? failure.message);
  if (frames === 0) throw sourceError('audio_empty', `${shown} contains no audio samples`);
  return { sampleRate: SAMPLE_RATE, channels };
}

/**
 * How long the container says the stream is, when that is a promise rather than a guess. For WAV
 * the header is read directly: ffmpeg silently clamps a data chunk that runs past the end of the
 * file, so only the header shows the truncation.
 */
async function promisedDuration(path: string, probe: ProbeResult, stream: ProbedStream, shown: string): Promise<number | undefined> {
  if (probe.formatName === 'wav') {
    const wav = await readWavDataPromise(path);
    if (!wav) return undefined;
    const promised = Math.floor(wav.declaredBytes / wav.blockAlign) / wav.sampleRate;
    if (wav.availableBytes < wav.declaredBytes) {
      const held = Math.floor(wav.availableBytes / wav.blockAlign) / wav.sampleRate;
      throw sourceError(
        'audio_truncated',
        `${shown} is truncated: its WAV header promises ${seconds(promised)} of audio but the file holds only ${seconds(held)}`,
      );
    }
    return promised;
  }
  if (probe.warnings.some((line) => line.includes('Estimating duration from bitrate'))) return undefined;
  // The container's duration covers all streams (a video may run longer than its sound).
  return stream.durationSeconds ?? (probe.streams.length === 1 ? probe.formatDurationSeconds : undefined);
}

interface DecoderSettings {
  readonly streamIndex: number;
  readonly channels: number;
  /** Stop at the first decoding error (-xerror) instead of skipping damaged parts. */
  readonly strict: boolean;
  /** The length the container states, in output frames, when it states one. */
  readonly expectedFrames: number | undefined;
}

/**
 * Runs ffmpeg to f32le on stdout and splits its output into channels as it comes. Past
 * MAX_SOURCE_FRAMES ffmpeg is killed and nothing more is kept; the result then says it overflowed.
 */
async function runDecoder(
  tools: FfmpegTools,
  path: string,
  settings: DecoderSettings,
  signal: AbortSignal,
): Promise<{ pcm: PlanarPcm; failure: FfmpegFailure | null }> {
  const pcm = new PlanarPcm(settings.channels, MAX_SOURCE_FRAMES, settings.expectedFrames);
  const overflow = new AbortController();
  // emitClose: false, because fluent-ffmpeg reports an error when its output stream closes first.
  const sink = new Writable({
    emitClose: false,
    write(chunk: Buffer, _encoding, callback) {
      if (!pcm.append(chunk)) overflow.abort();
      callback();
    },
  });
  const drained = new Promise<void>((resolve) => sink.once('finish', resolve));
  const command = createFfmpegCommand(tools)
    .input(path)
    .inputOptions(['-nostdin', '-hide_banner', '-v', 'error', ...(settings.strict ? ['-xerror'] : [])])
    .outputOptions(['-map', `0:${settings.streamIndex}`, '-ac', String(settings.channels), '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_f32le', '-f', 'f32le'])
    .output(sink);
  let failure: FfmpegFailure | null = null;
  try {
    await runFfmpeg(command, AbortSignal.any([signal, overflow.signal]));
  } catch (error) {
    if (signal.aborted) throw cancelledError();
    // Killed for running past the limit: its output stream may never finish, and is not needed.
    if (pcm.overflowed) return { pcm, failure: null };
    if (!(error instanceof FfmpegFailure) || !error.exited) throw error;
    failure = error;
  }
  // fluent-ffmpeg reports the exit before stdout has necessarily been drained into the sink.
  await drained;
  if (signal.aborted) throw cancelledError();
  return { pcm, failure };
}

function seconds(value: number): string {
  return `${value.toFixed(value < 10 ? 3 : 1)} s`;
}
