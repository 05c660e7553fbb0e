import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioClip, OutputSpecs } from '@sa3/nodes';
import { DiskResultStore } from '../../src/executor/disk-result-store.js';

const KEY = '5f0e'.repeat(16);
const OTHER_KEY = 'a1b2'.repeat(16);
const audioOut: OutputSpecs = { audio: { type: 'audio', label: 'Audio' } };
const FRAMES = 1000;
const SAMPLE_BYTES = 2 * FRAMES * 4;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sa3-integrity-'));
  dirs.push(dir);
  return dir;
}

function clip(frames = FRAMES): AudioClip {
  const channels = [new Float32Array(frames), new Float32Array(frames)];
  channels.forEach((c, ch) => c.forEach((_, i) => (c[i] = Math.sin((i + 1) * (ch + 2) * 0.01) * 0.5)));
  return { sampleRate: 44_100, channels };
}

interface Fixture {
  readonly store: DiskResultStore;
  readonly folder: string;
  readonly entry: string;
  readonly logs: string[];
  /** The bytes of the good entry for KEY. */
  readonly good: Buffer;
}

async function fixture(): Promise<Fixture> {
  const folder = await temp();
  const logs: string[] = [];
  const store = new DiskResultStore(folder, undefined, { log: (line) => logs.push(line) });
  await store.write(KEY, { audio: clip() }, audioOut);
  const entry = join(folder, `${KEY}.sa3r`);
  return { store, folder, entry, logs, good: await readFile(entry) };
}

const sentence = (entry: string, reason: string) => `the cached result ${entry} is not used: ${reason}; the node runs again and its result replaces the file`;

/** The parts of a result file: 12-byte prefix, JSON header, samples. */
function split(bytes: Buffer): { format: number; header: string; samples: Buffer } {
  const headerBytes = bytes.readUInt32LE(8);
  return { format: bytes.readUInt32LE(4), header: bytes.subarray(12, 12 + headerBytes).toString('utf8'), samples: bytes.subarray(12 + headerBytes) };
}

/** A result file with `header` (its length written into the prefix) and `samples`, as a careful editor would rewrite it. */
function join3(header: string, samples: Buffer, format = 2): Buffer {
  const prefix = Buffer.alloc(12);
  prefix.writeUInt32LE(0x52334153, 0);
  prefix.writeUInt32LE(format, 4);
  const text = Buffer.from(header, 'utf8');
  prefix.writeUInt32LE(text.byteLength, 8);
  return Buffer.concat([prefix, text, samples]);
}

/** A result file's header, as far as these tests edit it. */
interface EntryHeader {
  key?: string;
  outputs: { name: string; sampleRate: number; channels: number; frames: number }[];
  sha256?: string;
}

function rewriteHeader(bytes: Buffer, change: (header: EntryHeader) => void): Buffer {
  const { header, samples } = split(bytes);
  const parsed = JSON.parse(header) as EntryHeader;
  change(parsed);
  return join3(JSON.stringify(parsed), samples);
}

/** Replaces `from` by `to` (same length) inside the header, leaving every other byte as it is. */
function editInPlace(bytes: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const copy = Buffer.from(bytes);
  const at = copy.indexOf(from, 12, 'utf8');
  expect(at).toBeGreaterThan(0);
  copy.write(to, at, 'utf8');
  return copy;
}

/**
 * After the damage: the read is a miss, said in exactly one sentence; the damaged entry is gone
 * (and nothing else in the folder changed); the recomputed result written again is read back bit
 * for bit, byte-identical to the good entry, without another sentence.
 */
async function expectMissThenReplaced(f: Fixture, reason: string, untouched: string[] = []): Promise<void> {
  expect(await f.store.read(KEY)).toBeUndefined();
  expect(f.logs).toEqual([sentence(f.entry, reason)]);
  expect((await readdir(f.folder)).sort()).toEqual(untouched);
  expect(await f.store.read(KEY)).toBeUndefined(); // a plain miss now: said once
  expect(f.logs).toHaveLength(1);
  await f.store.write(KEY, { audio: clip() }, audioOut);
  expect((await readdir(f.folder)).sort()).toEqual([...untouched, `${KEY}.sa3r`].sort());
  expect((await readFile(f.entry)).equals(f.good)).toBe(true);
  const read = (await f.store.read(KEY)) as { audio: AudioClip };
  expect(read.audio.sampleRate).toBe(44_100);
  expect(read.audio.channels.map((c) => c.length)).toEqual([FRAMES, FRAMES]);
  read.audio.channels.forEach((c, ch) => expect(Buffer.from(c.buffer).equals(Buffer.from(clip().channels[ch]!.buffer))).toBe(true));
  expect(f.logs).toHaveLength(1);
}

describe('every read of the disk cache checks the entry; a damaged one is a miss, said once, and replaced', () => {
  it('a good entry names its key and carries a sha256; it reads back without a sentence', async () => {
    const f = await fixture();
    const { format, header, samples } = split(f.good);
    expect(format).toBe(2);
    expect(JSON.parse(header) as unknown).toEqual({
      key: KEY,
      outputs: [{ name: 'audio', sampleRate: 44_100, channels: 2, frames: FRAMES }],
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    expect(samples.byteLength).toBe(SAMPLE_BYTES);
    expect(await f.store.read(KEY)).toBeDefined();
    expect(f.logs).toEqual([]);
    expect(await readdir(f.folder)).toEqual([`${KEY}.sa3r`]); // no temp file left behind
  });

  it('samples overwritten in place', async () => {
    const f = await fixture();
    const bytes = Buffer.from(f.good);
    bytes.fill(0, bytes.byteLength - 400, bytes.byteLength - 200);
    await writeFile(f.entry, bytes);
    await expectMissThenReplaced(f, 'its checksum does not match its header and samples (they were changed after it was written)');
  });

  it('the sample rate edited in the header (44100 -> 8000, same length, valid JSON)', async () => {
    const f = await fixture();
    await writeFile(f.entry, editInPlace(f.good, '44100', ' 8000'));
    await expectMissThenReplaced(f, 'its checksum does not match its header and samples (they were changed after it was written)');
  });

  it('the sample rate edited with the header rewritten and its length fixed', async () => {
    const f = await fixture();
    await writeFile(
      f.entry,
      rewriteHeader(f.good, (h) => (h.outputs[0]!.sampleRate = 8000)),
    );
    await expectMissThenReplaced(f, 'its checksum does not match its header and samples (they were changed after it was written)');
  });

  it('an impossible sample rate in the header', async () => {
    const f = await fixture();
    await writeFile(
      f.entry,
      rewriteHeader(f.good, (h) => (h.outputs[0]!.sampleRate = -44_100)),
    );
    await expectMissThenReplaced(f, 'output 1 of its header has an impossible sample rate (-44100)');
  });

  it('the channel count edited: the samples no longer fill what the header describes', async () => {
    const f = await fixture();
    await writeFile(f.entry, editInPlace(f.good, '"channels":2', '"channels":1'));
    await expectMissThenReplaced(f, `its header describes ${SAMPLE_BYTES / 2} bytes of samples (1 x ${FRAMES} frames) but the file holds ${SAMPLE_BYTES}`);
  });

  it('the frame count edited', async () => {
    const f = await fixture();
    await writeFile(f.entry, editInPlace(f.good, `"frames":${FRAMES}`, `"frames":${FRAMES + 1}`));
    await expectMissThenReplaced(f, `its header describes ${SAMPLE_BYTES + 8} bytes of samples (2 x ${FRAMES + 1} frames) but the file holds ${SAMPLE_BYTES}`);
  });

  it('channels and frames edited together so the sizes agree: mono at twice the length', async () => {
    const f = await fixture();
    await writeFile(
      f.entry,
      rewriteHeader(f.good, (h) => Object.assign(h.outputs[0]!, { channels: 1, frames: 2 * FRAMES })),
    );
    await expectMissThenReplaced(f, 'its checksum does not match its header and samples (they were changed after it was written)');
  });

  it('truncated to 0 bytes', async () => {
    const f = await fixture();
    await truncate(f.entry, 0);
    await expectMissThenReplaced(f, 'it is truncated (0 bytes, shorter than the 12-byte start of a result file)');
  });

  it('truncated to half', async () => {
    const f = await fixture();
    const half = Math.floor(f.good.byteLength / 2);
    await truncate(f.entry, half);
    const headerBytes = f.good.readUInt32LE(8);
    await expectMissThenReplaced(
      f,
      `its header describes ${SAMPLE_BYTES} bytes of samples (2 x ${FRAMES} frames) but the file holds ${half - 12 - headerBytes}`,
    );
  });

  it('a header length that runs past the end of the file', async () => {
    const f = await fixture();
    const bytes = Buffer.from(f.good);
    bytes.writeUInt32LE(bytes.byteLength, 8);
    await writeFile(f.entry, bytes);
    await expectMissThenReplaced(f, `its header length (${bytes.byteLength} bytes) runs past the end of the file (${bytes.byteLength} bytes)`);
  });

  it('the checksum field removed', async () => {
    const f = await fixture();
    await writeFile(
      f.entry,
      rewriteHeader(f.good, (h) => delete h.sha256),
    );
    await expectMissThenReplaced(f, 'its header has no checksum');
  });

  it('a checksum that is not a sha256', async () => {
    const f = await fixture();
    await writeFile(
      f.entry,
      rewriteHeader(f.good, (h) => (h.sha256 = 'abc')),
    );
    await expectMissThenReplaced(f, `its header's checksum is not a sha256 ("abc")`);
  });

  it('garbage instead of the JSON header', async () => {
    const f = await fixture();
    const { header, samples } = split(f.good);
    await writeFile(f.entry, join3('{"key":' + '\u0000'.repeat(header.length - 7), samples));
    await expectMissThenReplaced(f, 'its header is not valid JSON');
  });

  it('a header that lists no outputs', async () => {
    const f = await fixture();
    await writeFile(f.entry, join3('{}', Buffer.alloc(0)));
    await expectMissThenReplaced(f, 'its header lists no outputs');
  });

  it('an entry written in the old format, without key or checksum', async () => {
    const f = await fixture();
    const { samples } = split(f.good);
    await writeFile(f.entry, join3(JSON.stringify([{ name: 'audio', sampleRate: 44_100, channels: 2, frames: FRAMES }]), samples, 1));
    await expectMissThenReplaced(f, 'it was written in an older format (1) that carries no checksum');
  });

  it('a file that is not a result file', async () => {
    const f = await fixture();
    await writeFile(f.entry, 'RIFF....WAVEfmt and more bytes than a prefix');
    await expectMissThenReplaced(f, 'it is not a result file (it does not start with "SA3R")');
  });

  it("another key's good entry copied under this key's name", async () => {
    const f = await fixture();
    await f.store.write(OTHER_KEY, { audio: clip(FRAMES) }, audioOut);
    await writeFile(f.entry, await readFile(join(f.folder, `${OTHER_KEY}.sa3r`)));
    await expectMissThenReplaced(f, `it was written for another entry ("${OTHER_KEY}")`, [`${OTHER_KEY}.sa3r`]);
  });

  it('the entry replaced by a directory (with a file inside)', async () => {
    const f = await fixture();
    await rm(f.entry);
    await mkdir(f.entry);
    await writeFile(join(f.entry, 'inside'), 'x');
    await expectMissThenReplaced(f, 'it is a directory, not a file the cache wrote');
  });

  it('the entry replaced by a symlink to a good result file outside the cache: not followed, and the target is left alone', async () => {
    const f = await fixture();
    const outside = join(await temp(), 'elsewhere.sa3r');
    await writeFile(outside, f.good);
    await rm(f.entry);
    await symlink(outside, f.entry);
    await expectMissThenReplaced(f, 'it is a symbolic link, not a file the cache wrote');
    expect((await readFile(outside)).equals(f.good)).toBe(true);
  });

  it('the entry replaced by a FIFO: the read does not block', async () => {
    const f = await fixture();
    await rm(f.entry);
    execFileSync('mkfifo', [f.entry]);
    await expectMissThenReplaced(f, 'it is a special file, not a file the cache wrote');
  });

  it('audio the format cannot hold (channels of unequal length) is not stored', async () => {
    const folder = await temp();
    const store = new DiskResultStore(folder, undefined, { log: () => undefined });
    await store.write(KEY, { audio: { sampleRate: 44_100, channels: [new Float32Array(10), new Float32Array(9)] } }, audioOut);
    await store.write(OTHER_KEY, { audio: { sampleRate: 44_100, channels: [] } }, audioOut);
    expect(await readdir(folder)).toEqual([]);
  });
});
