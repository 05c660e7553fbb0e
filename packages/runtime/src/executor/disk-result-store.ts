/**
 * Results of model nodes kept on disk between processes, so `sa3 run` after changing a
 * downstream param does not generate again. One file per cache key holding audio outputs:
 *   "SA3R" | u32 format | u32 header bytes | JSON header | float32 samples, channel by channel
 * Files are written beside their place and renamed; a file that cannot be read is deleted and
 * counts as a miss. Once the folder is over its budget the least recently used files go.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { AudioClip, OutputSpecs } from '@sa3/nodes';
import type { NodeOutputs } from './result-cache.js';

const MAGIC = 0x52334153; // "SA3R" little-endian
const FORMAT = 1;
const PREFIX_BYTES = 12;
const SUFFIX = '.sa3r';

interface StoredAudio {
  readonly name: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
}

export class DiskResultStore {
  private resolved: Promise<string> | undefined;

  /** `location` may be decided on first use, so a process that never runs a model node pays nothing for it. */
  constructor(
    private readonly location: string | (() => Promise<string>),
    readonly maxBytes = 4 * 1024 ** 3,
  ) {}

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

  async read(key: string): Promise<NodeOutputs | undefined> {
    const path = await this.path(key);
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return undefined;
    try {
      const { size } = await handle.stat();
      const prefix = Buffer.alloc(PREFIX_BYTES);
      await handle.read(prefix, 0, PREFIX_BYTES, 0);
      if (size < PREFIX_BYTES || prefix.readUInt32LE(0) !== MAGIC || prefix.readUInt32LE(4) !== FORMAT) throw new Error('not a result file');
      const headerBytes = prefix.readUInt32LE(8);
      const header = Buffer.alloc(headerBytes);
      await handle.read(header, 0, headerBytes, PREFIX_BYTES);
      const stored = JSON.parse(header.toString('utf8')) as StoredAudio[];
      const expected = PREFIX_BYTES + headerBytes + stored.reduce((sum, s) => sum + s.channels * s.frames * 4, 0);
      if (expected !== size) throw new Error('truncated');
      let offset = PREFIX_BYTES + headerBytes;
      const outputs: Record<string, AudioClip> = {};
      for (const s of stored) {
        const channels: Float32Array[] = [];
        for (let c = 0; c < s.channels; c++) {
          const samples = new Float32Array(s.frames);
          await handle.read(new Uint8Array(samples.buffer), 0, samples.byteLength, offset);
          offset += samples.byteLength;
          channels.push(samples);
        }
        outputs[s.name] = { sampleRate: s.sampleRate, channels };
      }
      const now = new Date();
      await utimes(path, now, now).catch(() => undefined);
      return outputs;
    } catch {
      await rm(path, { force: true });
      return undefined;
    } finally {
      await handle.close();
    }
  }

  /** Stores outputs that are all audio by `sockets`, their node's declared outputs (others are ignored), and trims the folder to its budget. */
  async write(key: string, outputs: NodeOutputs, sockets: OutputSpecs): Promise<void> {
    if (!DiskResultStore.canStore(outputs, sockets)) return;
    const clips = Object.entries(outputs) as [string, AudioClip][];
    if (clips.reduce((sum, [, clip]) => sum + clip.channels.reduce((n, c) => n + c.byteLength, 0), 0) > this.maxBytes) return;
    const dir = await this.folder();
    await mkdir(dir, { recursive: true });
    const header = Buffer.from(
      JSON.stringify(
        clips.map(([name, clip]): StoredAudio => ({
          name,
          sampleRate: clip.sampleRate,
          channels: clip.channels.length,
          frames: clip.channels[0]?.length ?? 0,
        })),
      ),
      'utf8',
    );
    const prefix = Buffer.alloc(PREFIX_BYTES);
    prefix.writeUInt32LE(MAGIC, 0);
    prefix.writeUInt32LE(FORMAT, 4);
    prefix.writeUInt32LE(header.byteLength, 8);
    const path = await this.path(key);
    const temp = join(dir, `.${key}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'w');
      try {
        await handle.write(prefix);
        await handle.write(header);
        for (const [, clip] of clips)
          for (const channel of clip.channels) await handle.write(new Uint8Array(channel.buffer, channel.byteOffset, channel.byteLength));
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.trim(dir);
  }

  /** Deletes the least recently used files until the folder fits its budget. */
  private async trim(dir: string): Promise<void> {
    const names = (await readdir(dir)).filter((n) => n.endsWith(SUFFIX));
    const files = (await Promise.all(names.map(async (name) => ({ name, info: await stat(join(dir, name)).catch(() => undefined) }))))
      .flatMap(({ name, info }) => (info ? [{ name, bytes: info.size, used: info.mtimeMs }] : []))
      .sort((a, b) => a.used - b.used);
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of files) {
      if (total <= this.maxBytes) break;
      await rm(join(dir, file.name), { force: true });
      total -= file.bytes;
    }
  }
}
