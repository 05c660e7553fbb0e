/**
 * The folder of merged DiT copies, one sub-folder per stack key. A copy is written into
 * `<key>.partial-<pid>-<time>` and renamed into place when complete, so a folder named by its key
 * is always whole. Each is as large as the pack's DiT (5.8 GB for medium in float32), so only the
 * most recently used few are kept (SA3_LORA_CACHE_KEEP, default 3), and partial folders of
 * processes that are gone are removed.
 */
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { processAlive } from '../files/index.js';

const PARTIAL = /\.partial-(\d+)-\d+$/;

export function mergedDitsToKeep(): number {
  const value = Number(process.env.SA3_LORA_CACHE_KEEP ?? 3);
  return Number.isInteger(value) && value >= 1 ? value : 3;
}

export class MergedDitCache {
  constructor(
    readonly dir: string,
    private readonly modelFile: string,
    private readonly keep: number = mergedDitsToKeep(),
  ) {}

  folder(key: string): string {
    return join(this.dir, key);
  }

  /** Whether a whole copy for `key` is there; marks it as just used. */
  async has(key: string): Promise<boolean> {
    const now = new Date();
    return utimes(this.folder(key), now, now).then(
      () => exists(join(this.folder(key), this.modelFile)),
      () => false,
    );
  }

  /** Runs `write` into a fresh staging folder and renames it into place; a failure removes it. */
  async write(key: string, write: (staging: string) => Promise<void>): Promise<void> {
    const staging = `${this.folder(key)}.partial-${process.pid}-${Date.now()}`;
    await mkdir(staging, { recursive: true });
    try {
      await write(staging);
      await rename(staging, this.folder(key)).catch(async (error: unknown) => {
        // Another process finished the same merge first: its copy is the same bytes.
        if (!(await exists(join(this.folder(key), this.modelFile)))) throw error;
        await rm(staging, { recursive: true, force: true });
      });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    await this.prune(key);
  }

  /** Removes the least recently used copies beyond the limit (never `current`) and dead processes' partial folders. */
  async prune(current: string): Promise<string[]> {
    const removed: string[] = [];
    const whole: { name: string; used: number }[] = [];
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      const partial = PARTIAL.exec(name);
      if (partial) {
        if (!processAlive(Number(partial[1]))) {
          await rm(join(this.dir, name), { recursive: true, force: true });
          removed.push(name);
        }
        continue;
      }
      const info = await stat(join(this.dir, name)).catch(() => null);
      if (info?.isDirectory() && name !== current) whole.push({ name, used: info.mtimeMs });
    }
    whole.sort((a, b) => b.used - a.used);
    for (const { name } of whole.slice(this.keep - 1)) {
      await rm(join(this.dir, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
