import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { NodeError, cancelledError } from '@sa3/nodes';

export type FfmpegCommand = ffmpeg.FfmpegCommand;

export interface FfmpegTools {
  readonly ffmpeg: string;
  readonly ffprobe: string;
}

export interface FfmpegRun {
  /** The first lines ffmpeg wrote to stderr (enough to explain a failure). */
  readonly stderrLines: readonly string[];
}

export class FfmpegFailure extends Error {
  readonly stderrLines: readonly string[];
  /** ffmpeg ran and exited with an error code (rather than failing to start or being killed). */
  readonly exited: boolean;

  constructor(message: string, stderrLines: readonly string[]) {
    super(message);
    this.name = 'FfmpegFailure';
    this.stderrLines = stderrLines;
    this.exited = /ffmpeg exited with code/.test(message);
  }
}

const INSTALL_HINT = 'install ffmpeg (for example `apt-get install ffmpeg` or `brew install ffmpeg`) or point SA3_FFMPEG and SA3_FFPROBE at the binaries';
const KEPT_STDERR_LINES = 50;

const located = new Map<string, Promise<FfmpegTools>>();

/** Finds ffmpeg and ffprobe: SA3_FFMPEG / SA3_FFPROBE when set, otherwise the PATH. */
export function locateFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTools> {
  const key = [env.SA3_FFMPEG, env.SA3_FFPROBE, env.PATH].join('\0');
  let tools = located.get(key);
  if (!tools) {
    // One after the other, so a machine without either always hears about ffmpeg first.
    tools = (async () => ({
      ffmpeg: await locateTool('ffmpeg', env.SA3_FFMPEG, 'SA3_FFMPEG', env),
      ffprobe: await locateTool('ffprobe', env.SA3_FFPROBE, 'SA3_FFPROBE', env),
    }))();
    // A failed lookup is not cached, so installing ffmpeg fixes a running server.
    tools.catch(() => located.delete(key));
    located.set(key, tools);
  }
  return tools;
}

async function locateTool(name: string, override: string | undefined, envName: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (override) {
    if (await isExecutable(override)) return override;
    throw new NodeError('ffmpeg_missing', `${envName} points at "${override}", which is not an executable ${name}; ${INSTALL_HINT}`);
  }
  const suffixes = process.platform === 'win32' ? ['.exe', ''] : [''];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const suffix of suffixes) {
      const candidate = join(dir, name + suffix);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  throw new NodeError('ffmpeg_missing', `${name} was not found on the PATH: ${INSTALL_HINT}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export function createFfmpegCommand(tools: FfmpegTools): FfmpegCommand {
  return ffmpeg().setFfmpegPath(tools.ffmpeg).setFfprobePath(tools.ffprobe);
}

/**
 * Runs a prepared command to completion. Abort kills ffmpeg with SIGKILL and rejects with an
 * AbortError; a non-zero exit rejects with an FfmpegFailure carrying ffmpeg's first stderr lines.
 */
export function runFfmpeg(command: FfmpegCommand, signal: AbortSignal): Promise<FfmpegRun> {
  return new Promise<FfmpegRun>((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelledError());
      return;
    }
    const stderrLines: string[] = [];
    let settled = false;
    let started = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = (): void => {
      // Before 'start' there is no process yet; the 'start' handler kills it as soon as it exists.
      if (started) command.kill('SIGKILL');
      settle(() => reject(cancelledError()));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    command
      .on('start', () => {
        started = true;
        if (signal.aborted) command.kill('SIGKILL');
      })
      .on('stderr', (line: string) => {
        if (stderrLines.length < KEPT_STDERR_LINES && line.trim() !== '') stderrLines.push(line);
      })
      .on('error', (error: Error) => {
        settle(() => reject(new FfmpegFailure(error.message, stderrLines)));
      })
      .on('end', () => {
        settle(() => resolve({ stderrLines }));
      });
    command.run();
  });
}

/** ffmpeg's first real error line, without the "[demuxer @ 0x...]" prefix or the input path. */
export function firstErrorLine(lines: readonly string[], inputPath?: string): string | undefined {
  for (const raw of lines) {
    let line = raw.trim().replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '');
    if (inputPath && line.startsWith(`${inputPath}: `)) line = line.slice(inputPath.length + 2);
    if (line !== '' && !/^(Guessed Channel Layout|Estimating duration)/.test(line)) return line;
  }
  return undefined;
}
