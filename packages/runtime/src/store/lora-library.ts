/**
 * LoRA files installed under $SA3_HOME/loras (one .safetensors per name), and how a file a
 * workflow names is found: a path (relative to the workflow's folder), else an installed name.
 */
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { confinedPath } from '../files/index.js';
import { SafetensorsError, SafetensorsFile } from '../model-files/index.js';
import { sa3Home } from './pack-locator.js';
import { sha256File } from './verify-files.js';

const EXTENSION = '.safetensors';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface InstalledLora {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  /** From the file's lora_config, where it has one. */
  readonly adapterType?: string;
  readonly rank?: number;
}

export class LoraLibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoraLibraryError';
  }
}

export class LoraLibrary {
  private readonly hashes = new Map<string, { stamp: string; sha256: string }>();

  constructor(readonly dir: string = join(sa3Home(), 'loras')) {}

  async list(): Promise<InstalledLora[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => n.endsWith(EXTENSION)).sort();
    const out: InstalledLora[] = [];
    for (const file of names) {
      const path = join(this.dir, file);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) continue;
      out.push({ name: file.slice(0, -EXTENSION.length), path, bytes: info.size, ...(await configSummary(path)) });
    }
    return out;
  }

  /** Copies a LoRA file in under `name` (default: its file name without .safetensors), refusing what is not one. */
  async import(source: string, name?: string): Promise<InstalledLora> {
    const chosen = name ?? basename(source, extname(source));
    if (!NAME.test(chosen))
      throw new LoraLibraryError(`"${chosen}" cannot name a LoRA: use letters, digits, ".", "_" and "-" (up to 100), starting with a letter or digit`);
    const info = await stat(source).catch(() => null);
    if (!info?.isFile()) throw new LoraLibraryError(`the LoRA file ${source} ${info ? 'is not a file' : 'does not exist'}`);
    if (!(await configSummary(source)).hasConfig)
      throw new LoraLibraryError(`${source} is not a LoRA file: it is not a safetensors file with "lora_config" in its header metadata`);
    const target = join(this.dir, chosen + EXTENSION);
    if (await stat(target).catch(() => null)) throw new LoraLibraryError(`a LoRA named "${chosen}" is already installed (${target}); remove it first`);
    await mkdir(this.dir, { recursive: true });
    const staging = `${target}.${process.pid}.tmp`;
    try {
      await copyFile(source, staging);
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { force: true });
      throw error;
    }
    return (await this.list()).find((l) => l.name === chosen)!;
  }

  async remove(name: string): Promise<string> {
    const path = join(this.dir, name + EXTENSION);
    if (!NAME.test(name) || !(await stat(path).catch(() => null)))
      throw new LoraLibraryError(`no LoRA named "${name}" is installed in ${this.dir} (sa3 models lora list shows them)`);
    await rm(path);
    return path;
  }

  /**
   * The file `file` names and its sha256: a path (relative to `baseDir`; with `confine`, only
   * inside it or one of the `trusted` absolute paths), else an installed name with or without .safetensors.
   */
  async resolve(file: string, options: { baseDir: string; confine?: boolean; trusted?: readonly string[] }): Promise<{ path: string; sha256: string }> {
    const candidates: string[] = [];
    if (options.confine && options.trusted?.includes(file)) {
      candidates.push(file);
    } else if (options.confine) {
      const inside = await confinedPath(options.baseDir, file).catch(() => null);
      if (inside) candidates.push(inside);
    } else {
      candidates.push(isAbsolute(file) ? file : resolve(options.baseDir, file));
    }
    if (NAME.test(file)) candidates.push(join(this.dir, file.endsWith(EXTENSION) ? file : file + EXTENSION));
    for (const path of candidates) {
      const info = await stat(path).catch(() => null);
      if (info?.isFile()) return { path, sha256: await this.hash(path, `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`) };
    }
    throw new LoraLibraryError(
      `no LoRA file "${file}": it is neither a file (looked at ${candidates[0] ?? file}) nor an installed LoRA (sa3 models lora list)`,
    );
  }

  private async hash(path: string, stamp: string): Promise<string> {
    const known = this.hashes.get(path);
    if (known?.stamp === stamp) return known.sha256;
    const sha256 = await sha256File(path);
    this.hashes.set(path, { stamp, sha256 });
    return sha256;
  }
}

async function configSummary(path: string): Promise<{ hasConfig: boolean; adapterType?: string; rank?: number }> {
  let file: SafetensorsFile;
  try {
    file = await SafetensorsFile.open(path);
  } catch (error) {
    if (error instanceof SafetensorsError) return { hasConfig: false };
    throw error;
  }
  try {
    const text = file.metadata.lora_config;
    if (text === undefined) return { hasConfig: false };
    const config = JSON.parse(text) as { adapter_type?: unknown; rank?: unknown };
    return {
      hasConfig: true,
      ...(typeof config.adapter_type === 'string' ? { adapterType: config.adapter_type } : {}),
      ...(typeof config.rank === 'number' ? { rank: config.rank } : {}),
    };
  } catch {
    return { hasConfig: false };
  } finally {
    await file.close();
  }
}
