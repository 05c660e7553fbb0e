import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AudioIO } from '@sa3/nodes';
import { decodeAudioFile } from './decode.js';
import { encodeAudio } from './encode.js';
import { locateFfmpeg } from './ffmpeg.js';
import { normalizeLoudness } from './loudnorm.js';
import { type SourceOptions, localPathOf, withLocalAudioFile } from './sources.js';

export interface AudioIOOptions {
  /** Relative paths resolve against this directory (usually the workflow file's). */
  readonly baseDir: string;
  /** Where `upload:<id>` sources are stored. */
  readonly uploadDir?: string;
  /** Whole-download timeout for http(s) sources; default 30 s. */
  readonly fetchTimeoutMs?: number;
  /** Largest http(s) download accepted; default 512 MiB. */
  readonly maxDownloadBytes?: number;
  /** Parent of the short-lived temp directories; default the OS temp dir. */
  readonly tempDir?: string;
  /** Refuse plain paths outside baseDir (servers). */
  readonly confinePaths?: boolean;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;

/** Audio loading and encoding with ffmpeg, as the nodes' AudioIO service. */
export function createAudioIO(options: AudioIOOptions): AudioIO {
  const tempDir = options.tempDir ?? tmpdir();
  const sources: SourceOptions = {
    baseDir: options.baseDir,
    uploadDir: options.uploadDir,
    confinePaths: options.confinePaths,
    tempDir,
    download: {
      timeoutMs: options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS,
      maxBytes: options.maxDownloadBytes ?? DEFAULT_MAX_DOWNLOAD_BYTES,
    },
  };
  return {
    async load(source, signal) {
      const tools = await locateFfmpeg();
      return withLocalAudioFile(source, sources, signal, (path) => decodeAudioFile(tools, path, source, signal));
    },
    async fingerprint(source) {
      let path: string | null;
      try {
        path = localPathOf(source, sources);
      } catch {
        return 'missing';
      }
      // Downloads and data: URIs are identified by their text; re-fetching to compare is not cheap.
      if (path === null) return source;
      try {
        const info = await stat(path);
        return `${info.size}:${info.mtimeMs}`;
      } catch {
        return 'missing';
      }
    },
    encode(clip, encodeOptions, signal) {
      return encodeAudio(clip, encodeOptions, signal, { tempDir });
    },
    async normalizeLoudness(clip, target, signal) {
      return normalizeLoudness(await locateFfmpeg(), clip, target, tempDir, signal);
    },
  };
}
