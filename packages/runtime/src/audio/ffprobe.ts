import { execFile } from 'node:child_process';
import { cancelledError } from '@sa3/nodes';
import type { FfmpegTools } from './ffmpeg.js';

export interface ProbedStream {
  readonly index: number;
  readonly codecType: string;
  readonly codecName: string | undefined;
  readonly sampleRate: number | undefined;
  readonly channels: number | undefined;
  readonly durationSeconds: number | undefined;
}

export interface ProbeResult {
  readonly formatName: string;
  readonly formatDurationSeconds: number | undefined;
  readonly streams: readonly ProbedStream[];
  /** ffprobe's warnings, e.g. that a duration was only estimated from the bitrate. */
  readonly warnings: readonly string[];
}

export type ProbeOutcome = { readonly ok: true; readonly probe: ProbeResult } | { readonly ok: false; readonly stderrLines: readonly string[] };

const ENTRIES = 'stream=index,codec_type,codec_name,sample_rate,channels,duration:format=format_name,duration';

/**
 * Runs ffprobe directly (not through fluent-ffmpeg, whose ffprobe cannot be aborted and parses the
 * legacy text output) and reports what the container says about its streams.
 */
export function probeFile(tools: FfmpegTools, path: string, signal: AbortSignal): Promise<ProbeOutcome> {
  const args = ['-v', 'warning', '-of', 'json', '-show_entries', ENTRIES, '-i', path];
  return new Promise<ProbeOutcome>((resolve, reject) => {
    execFile(tools.ffprobe, args, { signal, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const stderrLines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
      if (signal.aborted) return reject(cancelledError());
      if (error) {
        if (typeof error.code === 'number') return resolve({ ok: false, stderrLines });
        const failure: Error = error;
        return reject(failure);
      }
      try {
        resolve({ ok: true, probe: parseProbe(JSON.parse(stdout) as RawProbe, stderrLines) });
      } catch (cause) {
        reject(new Error(`could not parse ffprobe output for ${path}`, { cause }));
      }
    });
  });
}

interface RawProbe {
  streams?: { index?: number; codec_type?: string; codec_name?: string; sample_rate?: string; channels?: number; duration?: string }[];
  format?: { format_name?: string; duration?: string };
}

function parseProbe(raw: RawProbe, warnings: readonly string[]): ProbeResult {
  return {
    formatName: raw.format?.format_name ?? '',
    formatDurationSeconds: toNumber(raw.format?.duration),
    streams: (raw.streams ?? []).map((s, i) => ({
      index: s.index ?? i,
      codecType: s.codec_type ?? 'unknown',
      codecName: s.codec_name,
      sampleRate: toNumber(s.sample_rate),
      channels: s.channels,
      durationSeconds: toNumber(s.duration),
    })),
    warnings,
  };
}

function toNumber(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
