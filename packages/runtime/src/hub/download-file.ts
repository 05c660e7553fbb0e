import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { diskFullError, isDiskFull } from '../store/index.js';
import { PackError } from '../pack-format/index.js';
import { networkCause, type HubClient } from './hub-client.js';
import type { PlannedFile } from './plan-download.js';

export interface DownloadOptions {
  readonly client: HubClient;
  readonly revision: string;
  /** Where the bytes collect until they are verified; kept across runs so a later pull resumes. */
  readonly partialPath: string;
  /** Where the verified file is renamed to. */
  readonly finalPath: string;
  /** SA3_HOME, for the disk-full sentence. */
  readonly home: string;
  readonly onResume?: (bytesOnDisk: number) => void;
  readonly onBytes?: (bytes: number) => void;
  readonly onRetry?: (bytesOnDisk: number, attempt: number, reason: string) => void;
  readonly signal?: AbortSignal;
  /** Connections that may break off mid-file before the pull gives up (each resumes where the last stopped). */
  readonly maxAttempts?: number;
}

/** The sha256 of the content, and for files the tree lists without one (small, non-LFS) their git blob id too. */
class Digests {
  readonly sha256: Hash = createHash('sha256');
  readonly git: Hash | null;
  constructor(file: PlannedFile) {
    this.git = file.sha256 ? null : createHash('sha1').update(`blob ${file.bytes}\0`);
  }
  update(chunk: Uint8Array): void {
    this.sha256.update(chunk);
    this.git?.update(chunk);
  }
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path).catch(() => null))?.size ?? 0;
}

async function hashExisting(path: string, digests: Digests): Promise<void> {
  for await (const chunk of createReadStream(path)) digests.update(chunk as Buffer);
}

/** The first byte a 206 answer starts at, from "Content-Range: bytes S-E/T". */
function rangeStart(response: Response): number | null {
  const match = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Downloads one file into its .partial file, resuming from the bytes already there with a Range
 * request (also after a connection breaks off mid-file), checks the sha256 (or for small non-LFS
 * files the git blob id) and only then renames it to its final path. Returns the sha256.
 */
export async function downloadFile(file: PlannedFile, options: DownloadOptions): Promise<string> {
  const { client, partialPath } = options;
  const url = client.resolveUrl(file.repo, options.revision, file.path);
  const maxAttempts = options.maxAttempts ?? 5;
  await mkdir(dirname(partialPath), { recursive: true });

  let have = await sizeOf(partialPath);
  if (have > file.bytes) {
    await rm(partialPath, { force: true });
    have = 0;
  }
  let digests = new Digests(file);
  if (have > 0) {
    await hashExisting(partialPath, digests);
    options.onResume?.(have);
  }
  if (file.bytes === 0) await (await open(partialPath, 'w')).close();

  let failures = 0;
  while (have < file.bytes) {
    const response = await client.get(url, {
      repo: file.repo,
      missing: () => `the repository ${file.repo} has no file ${file.path} at revision ${options.revision}`,
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (have > 0 && (response.status !== 206 || rangeStart(response) !== have)) {
      // The server sent the whole file (or another range): start over.
      have = 0;
      digests = new Digests(file);
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        await rm(partialPath, { force: true });
        continue;
      }
    }
    const handle = await open(partialPath, have > 0 ? 'a' : 'w');
    let broke: unknown = null;
    try {
      for await (const chunk of response.body ?? []) {
        const bytes = chunk as Uint8Array;
        if (have + bytes.byteLength > file.bytes)
          throw new PackError(
            'file_corrupt',
            `${file.path} from ${file.repo} is longer than the ${file.bytes} bytes the repository lists; nothing was installed; pull again`,
            file.path,
          );
        await handle.write(bytes);
        digests.update(bytes);
        have += bytes.byteLength;
        options.onBytes?.(bytes.byteLength);
      }
    } catch (error) {
      if (isDiskFull(error)) throw diskFullError(options.home, file.bytes - have);
      if (error instanceof PackError || options.signal?.aborted) throw error;
      broke = error;
    } finally {
      await handle.close();
    }
    if (have < file.bytes) {
      failures++;
      const reason = broke ? (networkCause(broke) ?? (broke as Error).message) : 'the connection closed early';
      if (failures >= maxAttempts) {
        throw new PackError(
          'download_failed',
          `the download of ${file.path} from ${file.repo} broke off ${failures} times (${reason}) at ${have} of ${file.bytes} bytes; run the pull again to resume from there`,
          file.path,
        );
      }
      options.onRetry?.(have, failures, reason);
    }
  }

  const sha256 = digests.sha256.digest('hex');
  const expected = file.sha256 ?? (file.gitOid || null);
  const actual = digests.git ? digests.git.digest('hex') : sha256;
  if (expected !== null && actual !== expected) {
    await rm(partialPath, { force: true });
    throw new PackError(
      'file_corrupt',
      `${file.path} from ${file.repo} does not match its ${file.sha256 ? 'sha256' : 'git blob id'} (expected ${expected.slice(0, 12)}..., got ${actual.slice(0, 12)}...): the download was corrupted, so nothing was installed; pull again`,
      file.path,
    );
  }
  await mkdir(dirname(options.finalPath), { recursive: true });
  await rename(partialPath, options.finalPath);
  return sha256;
}
