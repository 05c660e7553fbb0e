import { constants } from 'node:fs';
import { access, stat, writeFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { confinedPath } from '../files/index.js';
import { parseDataUri } from './data-uri.js';
import { type DownloadLimits, downloadToFile } from './download.js';
import { showSource, sourceError } from './source-errors.js';
import { withTempDir } from './temp-dir.js';

export interface SourceOptions {
  /** Relative paths are resolved against this directory. */
  readonly baseDir: string;
  /** Where `upload:<id>` sources live; without it uploads are not available. */
  readonly uploadDir?: string | undefined;
  /** When set, plain paths must lie inside baseDir (a server never reads files its clients name elsewhere). */
  readonly confinePaths?: boolean | undefined;
  /** Parent of the private temp directories for downloads and data: URIs. */
  readonly tempDir: string;
  readonly download: DownloadLimits;
}

export type ClassifiedSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'upload'; readonly id: string }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'data'; readonly uri: string }
  | { readonly kind: 'unsupported'; readonly scheme: string };

const UPLOAD_ID = /^[A-Za-z0-9_-]+(\.[a-z0-9]+)?$/;
// Two or more characters before the colon, so "C:\music\a.wav" stays a path.
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

export function classifySource(source: string): ClassifiedSource {
  const scheme = SCHEME.exec(source)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'path', path: source };
  if (scheme === 'upload') return { kind: 'upload', id: source.slice('upload:'.length) };
  if (scheme === 'http' || scheme === 'https') return { kind: 'url', url: source };
  if (scheme === 'data') return { kind: 'data', uri: source };
  return { kind: 'unsupported', scheme };
}

/**
 * The local file a path or upload source names (validated, not yet checked to exist), or null for
 * sources that are fetched or decoded into a temp file.
 */
export function localPathOf(source: string, options: Pick<SourceOptions, 'baseDir' | 'uploadDir'>): string | null {
  const classified = classifySource(source);
  if (classified.kind === 'path') return resolve(options.baseDir, classified.path);
  if (classified.kind === 'upload') return uploadPath(source, classified.id, options.uploadDir);
  return null;
}

/**
 * Hands `use` a local, non-empty regular file holding the bytes `source` names. Downloads and
 * data: URIs go to a private temp directory that is removed afterwards, whatever happens.
 */
export async function withLocalAudioFile<T>(source: string, options: SourceOptions, signal: AbortSignal, use: (path: string) => Promise<T>): Promise<T> {
  if (source.trim() === '') throw sourceError('source_empty', 'no audio source was given: expected a file path, an http(s) URL, a data: URI or upload:<id>');
  const shown = showSource(source);
  const classified = classifySource(source);
  switch (classified.kind) {
    case 'path': {
      const path = resolve(options.baseDir, classified.path);
      // Through realpath: a symlink inside the folder that points out of it is outside too.
      if (options.confinePaths && (await confinedPath(options.baseDir, path).catch(() => null)) === null) {
        throw sourceError(
          'path_not_allowed',
          `the audio path ${shown} is outside the folder this server reads files from (${options.baseDir}); upload the file or give an http(s) URL or data: URI`,
        );
      }
      await checkAudioFile(path, `the audio file ${shown}`, 'file_not_found', path === source ? '' : ` (looked for ${path})`);
      return use(path);
    }
    case 'upload': {
      const path = uploadPath(source, classified.id, options.uploadDir);
      await checkAudioFile(path, `the upload ${shown}`, 'upload_not_found', '');
      return use(path);
    }
    case 'url': {
      const url = parseHttpUrl(source);
      return withTempDir(options.tempDir, async (dir) => {
        const target = join(dir, `download${safeExtension(url.pathname)}`);
        await downloadToFile(source, target, options.download, signal);
        await checkAudioFile(target, `the download from ${shown}`, 'file_not_found', '');
        return use(target);
      });
    }
    case 'data': {
      const { bytes } = parseDataUri(source);
      return withTempDir(options.tempDir, async (dir) => {
        const target = join(dir, 'data');
        await writeFile(target, bytes);
        await checkAudioFile(target, `the data: URI ${shown}`, 'file_not_found', '');
        return use(target);
      });
    }
    case 'unsupported':
      throw unsupportedScheme(source, classified.scheme);
  }
}

function unsupportedScheme(source: string, scheme: string) {
  const shown = showSource(source);
  if (scheme === 'file') {
    return sourceError('unsupported_url_scheme', `file: URLs such as ${shown} are not accepted as audio sources; give the plain file path instead`);
  }
  return sourceError(
    'unsupported_url_scheme',
    `the audio source ${shown} uses the unsupported scheme "${scheme}:"; use a file path, an http(s) URL, a data: URI or upload:<id>`,
  );
}

function uploadPath(source: string, id: string, uploadDir: string | undefined): string {
  if (!UPLOAD_ID.test(id)) {
    throw sourceError(
      'upload_id_invalid',
      `${showSource(source)} is not a valid upload id: expected letters, digits, "_" or "-", optionally followed by one extension`,
    );
  }
  if (!uploadDir) throw sourceError('upload_not_found', `the upload ${showSource(source)} cannot be found because this runtime has no upload directory`);
  return join(uploadDir, id);
}

function parseHttpUrl(source: string): URL {
  try {
    return new URL(source);
  } catch (cause) {
    throw sourceError('url_invalid', `${showSource(source)} is not a valid http(s) URL`, cause);
  }
}

function safeExtension(pathname: string): string {
  const ext = extname(pathname).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '';
}

/** Rejects what ffmpeg would only fail on obscurely: missing, unreadable, a directory, empty. */
async function checkAudioFile(path: string, what: string, notFoundCode: string, detail: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw sourceError(notFoundCode, `${what} does not exist${detail}`, cause);
    throw sourceError('file_unreadable', `${what} cannot be read${detail}: ${(cause as Error).message}`, cause);
  }
  if (info.isDirectory()) throw sourceError('path_is_directory', `${what} is a directory, not an audio file${detail}`);
  if (!info.isFile()) throw sourceError('path_not_a_file', `${what} is not a regular file${detail}`);
  if (info.size === 0) throw sourceError('audio_empty', `${what} is empty (0 bytes)${detail}`);
  try {
    await access(path, constants.R_OK);
  } catch (cause) {
    throw sourceError('file_unreadable', `${what} cannot be read${detail}: permission denied`, cause);
  }
}
