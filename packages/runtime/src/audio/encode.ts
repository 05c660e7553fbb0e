import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type AudioClip, type EncodeOptions, type EncodedFile, type LoudnessMeasurement, NodeError, cancelledError } from '@sa3/nodes';
import { measureLoudness } from './ebur128.js';
import { type FfmpegTools, FfmpegFailure, createFfmpegCommand, firstErrorLine, locateFfmpeg, runFfmpeg } from './ffmpeg.js';
import { interleavedF32le } from './interleave.js';
import { embedLoudness } from './metadata/index.js';
import { withTempDir } from './temp-dir.js';
import { encodeWav } from './wav.js';

export const MIME_TYPES: Readonly<Record<EncodeOptions['format'], string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
};

export interface EncodeEnvironment {
  /** Parent of the temp directory ffmpeg writes into; defaults to the OS temp dir. */
  readonly tempDir?: string;
  /** Defaults to locating ffmpeg on first use. */
  readonly tools?: FfmpegTools;
}

/**
 * Encodes a clip: WAV in TypeScript, MP3/FLAC/OGG with ffmpeg. A clip that carries a loudness
 * measurement gets it written into the file's metadata (see embedLoudness); lossy encoding moves
 * the true peak, so an MP3 or Ogg file is measured again and carries its own levels.
 */
export async function encodeAudio(clip: AudioClip, options: EncodeOptions, signal: AbortSignal, env: EncodeEnvironment = {}): Promise<EncodedFile> {
  if (signal.aborted) throw cancelledError();
  if (options.format === 'wav') {
    const wav = encodeWav(clip, options.bitDepth);
    return { bytes: clip.loudness ? embedLoudness(wav, 'wav', clip.loudness) : wav, mime: MIME_TYPES.wav, extension: 'wav' };
  }
  const tools = env.tools ?? (await locateFfmpeg());
  const bytes = await withTempDir(env.tempDir ?? tmpdir(), async (dir) => {
    // A file rather than a pipe: the MP3 muxer seeks back to write the Xing/LAME header
    // (exact length, encoder delay and padding), and FLAC its STREAMINFO totals.
    const target = join(dir, `encoded.${options.format}`);
    const input = Readable.from(interleavedF32le(clip), { objectMode: false });
    try {
      const command = createFfmpegCommand(tools)
        .input(input)
        .inputOptions(['-hide_banner', '-v', 'error', '-f', 'f32le', '-ar', String(clip.sampleRate), '-ac', String(clip.channels.length)])
        .outputOptions(codecOptions(options))
        .output(target);
      await runFfmpeg(command, signal);
    } catch (error) {
      if (!(error instanceof FfmpegFailure)) throw error;
      const reason = firstErrorLine(error.stderrLines) ?? error.message;
      throw new NodeError('encode_failed', `ffmpeg could not encode the audio as ${options.format}: ${reason}`, { cause: error });
    } finally {
      input.destroy();
    }
    const encoded = new Uint8Array(await readFile(target));
    if (!clip.loudness) return encoded;
    const loudness = await fileLoudness(tools, clip.loudness, options.format, target, dir, signal);
    return embedLoudness(encoded, options.format, loudness);
  });
  return { bytes, mime: MIME_TYPES[options.format], extension: options.format };
}

/** The clip's measurement for a lossless file; for a lossy one, the file's own (the clip's when ffmpeg finds it silent). */
async function fileLoudness(
  tools: FfmpegTools,
  measured: LoudnessMeasurement,
  format: Exclude<EncodeOptions['format'], 'wav'>,
  path: string,
  tempDir: string,
  signal: AbortSignal,
): Promise<LoudnessMeasurement> {
  if (format === 'flac') return measured;
  return (await measureLoudness(tools, { path }, tempDir, signal)) ?? measured;
}

function codecOptions(options: Exclude<EncodeOptions, { format: 'wav' }>): string[] {
  switch (options.format) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-b:a', `${Math.round(options.bitrateKbps)}k`, '-f', 'mp3'];
    case 'flac':
      return ['-c:a', 'flac', '-compression_level', String(Math.round(options.compressionLevel)), '-f', 'flac'];
    case 'ogg':
      return ['-c:a', 'libvorbis', '-q:a', String(options.quality), '-f', 'ogg'];
  }
}
