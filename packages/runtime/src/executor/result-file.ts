/**
 * The layout of one cached result file and the checks every read makes:
 *   "SA3R" | u32 format | u32 header bytes | JSON header | float32 samples, channel by channel
 * The header names its cache key and each output (sample rate, channels, frames) and carries the
 * sha256 of the header's other fields and of every sample, so an edited header, overwritten
 * samples or an entry copied under another key's name are all told apart from a good entry.
 */
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { AudioClip, AudioLoop } from '@sa3/nodes';
import { stableStringify } from '../files/index.js';

const MAGIC = 0x52334153; // "SA3R" little-endian
/** 1: no checksum and no key (files written before checksums); 2: this layout. */
const FORMAT = 2;
const PREFIX_BYTES = 12;
const MAX_HEADER_BYTES = 1024 * 1024;
const MAX_CHANNELS = 64;
const MAX_SAMPLE_RATE = 1_000_000;

interface StoredAudio {
  readonly name: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly frames: number;
  /** The clip's loop points (sa3.loop), so a cached loop still saves with them. */
  readonly loop?: AudioLoop;
}

interface ResultMeta {
  readonly key: string;
  readonly outputs: readonly StoredAudio[];
}

/** What is wrong with a cache entry, as the end of a sentence ("it ..."). */
export class DamagedResult extends Error {}

function startHash(meta: ResultMeta): Hash {
  return createHash('sha256').update(stableStringify(meta)).update('\n');
}

function describe(clip: AudioClip, name: string): StoredAudio | undefined {
  const frames = clip.channels[0]?.length ?? 0;
  const valid =
    Number.isInteger(clip.sampleRate) &&
    clip.sampleRate > 0 &&
    clip.sampleRate <= MAX_SAMPLE_RATE &&
    clip.channels.length > 0 &&
    clip.channels.length <= MAX_CHANNELS &&
    clip.channels.every((c) => c instanceof Float32Array && c.length === frames);
  if (!valid) return undefined;
  const loop = clip.loop && isLoopWithin(clip.loop, frames) ? { loop: { startFrame: clip.loop.startFrame, endFrame: clip.loop.endFrame } } : {};
  return { name, sampleRate: clip.sampleRate, channels: clip.channels.length, frames, ...loop };
}

/** The bytes of a result file, in order, or undefined for audio the format cannot hold (no channels, channels of unequal length). */
export function encodeResult(key: string, clips: readonly (readonly [string, AudioClip])[]): Uint8Array[] | undefined {
  const outputs = clips.map(([name, clip]) => describe(clip, name));
  if (outputs.some((o) => o === undefined)) return undefined;
  const meta: ResultMeta = { key, outputs: outputs as StoredAudio[] };
  const samples = clips.flatMap(([, clip]) => clip.channels.map((c) => new Uint8Array(c.buffer, c.byteOffset, c.byteLength)));
  const hash = startHash(meta);
  for (const bytes of samples) hash.update(bytes);
  const header = Buffer.from(JSON.stringify({ ...meta, sha256: hash.digest('hex') }), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(FORMAT, 4);
  prefix.writeUInt32LE(header.byteLength, 8);
  return [prefix, header, ...samples];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isLoopWithin = (loop: unknown, frames: number): loop is AudioLoop =>
  isObject(loop) && isCount(loop.startFrame, 0, frames - 1) && isCount(loop.endFrame, loop.startFrame as number, frames - 1);

function checkOutput(value: unknown, index: number): StoredAudio {
  const where = `output ${index + 1} of its header`;
  if (!isObject(value) || typeof value.name !== 'string' || value.name === '') throw new DamagedResult(`${where} has no name`);
  if (!isCount(value.sampleRate, 1, MAX_SAMPLE_RATE)) throw new DamagedResult(`${where} has an impossible sample rate (${JSON.stringify(value.sampleRate)})`);
  if (!isCount(value.channels, 1, MAX_CHANNELS)) throw new DamagedResult(`${where} has an impossible channel count (${JSON.stringify(value.channels)})`);
  if (!isCount(value.frames, 0, Number.MAX_SAFE_INTEGER)) throw new DamagedResult(`${where} has an impossible frame count (${JSON.stringify(value.frames)})`);
  const stored = { name: value.name, sampleRate: value.sampleRate as number, channels: value.channels as number, frames: value.frames as number };
  if (value.loop === undefined) return stored;
  if (!isLoopWithin(value.loop, stored.frames))
    throw new DamagedResult(`${where} has loop points outside its ${stored.frames} frames (${JSON.stringify(value.loop).slice(0, 80)})`);
  return { ...stored, loop: { startFrame: value.loop.startFrame, endFrame: value.loop.endFrame } };
}

/** The header's fields, checked against each other, the key the entry is filed under and the file's size. */
function checkHeader(text: string, key: string, headerBytes: number, size: number): { meta: ResultMeta; sha256: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DamagedResult('its header is not valid JSON');
  }
  if (!isObject(raw) || !Array.isArray(raw.outputs) || raw.outputs.length === 0) throw new DamagedResult('its header lists no outputs');
  if (typeof raw.sha256 !== 'string') throw new DamagedResult('its header has no checksum');
  if (!/^[0-9a-f]{64}$/.test(raw.sha256)) throw new DamagedResult(`its header's checksum is not a sha256 (${JSON.stringify(raw.sha256).slice(0, 80)})`);
  if (raw.key !== key) throw new DamagedResult(`it was written for another entry (${JSON.stringify(raw.key).slice(0, 80)})`);
  const outputs = raw.outputs.map(checkOutput);
  if (new Set(outputs.map((o) => o.name)).size !== outputs.length) throw new DamagedResult('its header names an output twice');
  const extra = Object.keys(raw).filter((k) => !['key', 'outputs', 'sha256'].includes(k));
  if (extra.length > 0) throw new DamagedResult(`its header has fields the cache never writes (${extra.join(', ')})`);
  const sampleBytes = outputs.reduce((sum, o) => sum + o.channels * o.frames * 4, 0);
  const held = size - PREFIX_BYTES - headerBytes;
  if (sampleBytes !== held) {
    throw new DamagedResult(
      `its header describes ${sampleBytes} bytes of samples (${outputs.map((o) => `${o.channels} x ${o.frames} frames`).join(', ')}) but the file holds ${held}`,
    );
  }
  return { meta: { key, outputs }, sha256: raw.sha256 };
}

async function readExactly(handle: FileHandle, target: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) throw new DamagedResult(`it ended after ${position + done} bytes while being read`);
    done += bytesRead;
  }
}

/** The audio of a result file opened as `handle` (a regular file of `size` bytes), or a DamagedResult saying what is wrong with it. */
export async function decodeResult(handle: FileHandle, size: number, key: string): Promise<Record<string, AudioClip>> {
  if (size < PREFIX_BYTES) throw new DamagedResult(`it is truncated (${size} bytes, shorter than the ${PREFIX_BYTES}-byte start of a result file)`);
  const prefix = Buffer.alloc(PREFIX_BYTES);
  await readExactly(handle, prefix, 0);
  if (prefix.readUInt32LE(0) !== MAGIC) throw new DamagedResult('it is not a result file (it does not start with "SA3R")');
  const format = prefix.readUInt32LE(4);
  if (format < FORMAT) throw new DamagedResult(`it was written in an older format (${format}) that carries no checksum`);
  if (format !== FORMAT) throw new DamagedResult(`it was written in format ${format}, which this version does not read`);
  const headerBytes = prefix.readUInt32LE(8);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX_BYTES + headerBytes > size)
    throw new DamagedResult(`its header length (${headerBytes} bytes) runs past the end of the file (${size} bytes)`);
  const header = Buffer.alloc(headerBytes);
  await readExactly(handle, header, PREFIX_BYTES);
  const { meta, sha256 } = checkHeader(header.toString('utf8'), key, headerBytes, size);

  const hash = startHash(meta);
  let offset = PREFIX_BYTES + headerBytes;
  const outputs: Record<string, AudioClip> = {};
  for (const stored of meta.outputs) {
    const channels: Float32Array[] = [];
    for (let c = 0; c < stored.channels; c++) {
      const samples = new Float32Array(stored.frames);
      const bytes = new Uint8Array(samples.buffer);
      await readExactly(handle, bytes, offset);
      hash.update(bytes);
      offset += bytes.byteLength;
      channels.push(samples);
    }
    outputs[stored.name] = { sampleRate: stored.sampleRate, channels, ...(stored.loop ? { loop: stored.loop } : {}) };
  }
  if (hash.digest('hex') !== sha256) throw new DamagedResult('its checksum does not match its header and samples (they were changed after it was written)');
  return outputs;
}
