/**
 * Results of model nodes kept on disk between processes, so `sa3 run` after changing a
 * downstream param does not generate again. One file per cache key holding audio outputs, laid
 * out as result-file.ts says, with a sha256 over its header and samples. Every read checks the
 * file: one that is not a regular file of this cache (a directory, a symlink), cannot be read,
 * is truncated, of an older format, or whose header or checksum does not hold is a miss, said
 * once in one sentence, and deleted so the recomputed result takes its place. Files are written
 * beside their place and renamed. Once the folder is over its budget the least recently used
 * files go.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioClip, OutputSpecs } from '@sa3/nodes';
import type { NodeOutputs } from './result-cache.js';
import { DamagedResult, decodeResult, encodeResult } from './result-file.js';

const SUFFIX = '.sa3r';
// No symlink is followed (the cache writes none), and opening a FIFO planted in its place does not block.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export interface DiskResultStoreOptions {
  /** Where a damaged entry is reported (one line each); stderr by default. */
  readonly log?: (line: string) => void;
}

function kindOf(info: { isDirectory(): boolean; isSymbolicLink(): boolean }): string {
  return info.isDirectory() ? 'a directory' : info.isSymbolicLink() ? 'a symbolic link' : 'a special file';
}

export class DiskResultStore {
  private resolved: Promise<string> | undefined;
  private readonly log: (line: string) => void;
  /** Entries already reported as damaged, so a damage is said once until the entry is written again. */
  private readonly reported = new Set<string>();

  /** `location` may be decided on first use, so a process that never runs a model node pays nothing for it. */
  constructor(
    private readonly location: string | (() => Promise<string>),
    readonly maxBytes = 4 * 1024 ** 3,
    options: DiskResultStoreOptions = {},
  ) {
    this.log = options.log ?? ((line) => process.stderr.write(`sa3: ${line}\n`));
  }

  /** The folder the results live in. */
  folder(): Promise<string> {
    this.resolved ??= typeof this.location === 'string' ? Promise.resolve(this.location) : this.location();
    return this.resolved;
  }

  private async path(key: string): Promise<string> {
    return join(await this.folder(), `${key}${SUFFIX}`);
  }

  /** Whether outputs can be stored: every output is declared audio (latents and encodings stay in memory). */
  static canStore(outputs: NodeOutputs, sockets: OutputSpecs): boolean {
    const names = Object.keys(outputs);
    return names.length > 0 && names.every((name) => sockets[name]?.type === 'audio');
  }

  /** The outputs stored under `key`, or undefined when there are none or the entry does not pass its checks. */
  async read(key: string): Promise<NodeOutputs | undefined> {
    const path = await this.path(key);
    let handle: FileHandle;
    try {
      handle = await open(path, READ_FLAGS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      const info = await lstat(path).catch(() => undefined);
      if (info && !info.isFile()) return this.discard(key, path, `it is ${kindOf(info)}, not a file the cache wrote`);
      return this.discard(key, path, `it cannot be opened (${code ?? (error as Error).message})`);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) return await this.discard(key, path, `it is ${kindOf(info)}, not a file the cache wrote`);
      const outputs = await decodeResult(handle, info.size, key);
      const now = new Date();
      await handle.utimes(now, now).catch(() => undefined);
      return outputs;
    } catch (error) {
      const reason =
        error instanceof DamagedResult ? error.message : `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      return await this.discard(key, path, reason);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  /** Reports a damaged entry once and deletes it (only the entry itself: a symlink's target is left alone), so the recomputed result replaces it. */
  private async discard(key: string, path: string, reason: string): Promise<undefined> {
    if (!this.reported.has(key)) this.log(`the cached result ${path} is not used: ${reason}; the node runs again and its result replaces the file`);
    this.reported.add(key);
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    return undefined;
  }

  /** Stores outputs that are all audio by `sockets`, their node's declared outputs (others are ignored), and trims the folder to its budget. */
  async write(key: string, outputs: NodeOutputs, sockets: OutputSpecs): Promise<void> {
    if (!DiskResultStore.canStore(outputs, sockets)) return;
    const clips = Object.entries(outputs) as [string, AudioClip][];
    if (clips.reduce((sum, [, clip]) => sum + clip.channels.reduce((n, c) => n + c.byteLength, 0), 0) > this.maxBytes) return;
    const parts = encodeResult(key, clips);
    if (!parts) return;
    const dir = await this.folder();
    await mkdir(dir, { recursive: true });
    const path = await this.path(key);
    const temp = join(dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx');
      try {
        for (const part of parts) await handle.write(part);
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    this.reported.delete(key);
    await this.trim(dir);
  }

  /** Deletes the least recently used files until the folder fits its budget. */
  private async trim(dir: string): Promise<void> {
    const names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX));
    const files = (await Promise.all(names.map(async (name) => ({ name, info: await lstat(join(dir, name)).catch(() => undefined) }))))
      .flatMap(({ name, info }) => (info?.isFile() ? [{ name, bytes: info.size, used: info.mtimeMs }] : []))
      .sort((a, b) => a.used - b.used);
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of files) {
      if (total <= this.maxBytes) break;
      await rm(join(dir, file.name), { force: true });
      total -= file.bytes;
    }
  }
}
