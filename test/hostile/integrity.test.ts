import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWithFfmpeg, dominantFrequency } from '../helpers/audio-probe.js';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { fileSet } from './file-set.js';

/**
 * What sa3 reads back from disk is checked before it is used: a damaged entry of the result
 * cache is a miss (one sentence on stderr, the node runs again, the entry is replaced, the output
 * is the uncached run's to the byte); a damaged pack file is refused with one sentence naming the
 * file and the pack, even when its modification time was put back.
 */

const SECONDS = 4;
// The test pack plays the note a prompt names: "mid" is FFT bin 41 of a 4096-sample frame.
const MID_HZ = (41 * 44_100) / 4096;

let home = '';
let workflowPath = '';
/** The output of a run without the cache, and the cache entry and cache files a run leaves. */
let reference: Buffer;
let goodEntry: Buffer;
let entryPath = '';
let cacheBefore: string[] = [];

const cacheRoot = () => join(home, 'cache', 'results');
const packDir = () => join(home, 'packs', 'small-music');

async function run(env: Record<string, string> = {}): Promise<{ result: CliResult; out: string }> {
  const out = await tempDir('sa3-integrity-out-');
  const result = await runCli(['run', workflowPath, '--out', out, '--json'], { env: { SA3_HOME: home, SA3_CACHE: 'on', ...env } });
  return { result, out };
}

const ranOrCached = (result: CliResult, node: string) =>
  result.events.some((e) => e.type === 'node-cached' && 'node' in e && e.node === node)
    ? 'cached'
    : result.events.some((e) => e.type === 'node-start' && 'node' in e && e.node === node)
      ? 'ran'
      : 'none';

const nodeErrors = (result: CliResult) =>
  result.events.flatMap((e) => (e.type === 'node-error' && 'message' in e ? [{ node: e.node, code: e.code, message: e.message }] : []));

/** The lines sa3 printed on stderr about its cache. */
const cacheLines = (result: CliResult) => result.stderr.split('\n').filter((line) => line.startsWith('sa3: the cached result '));

const cacheSentence = (reason: string) => `sa3: the cached result ${entryPath} is not used: ${reason}; the node runs again and its result replaces the file`;

beforeAll(async () => {
  home = await tempDir('sa3-integrity-home-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env: { SA3_HOME: home } })).code).toBe(0);
  workflowPath = join(home, 'mid-tone.json');
  await writeFile(
    workflowPath,
    JSON.stringify({
      format: 'sa3-workflow',
      version: 1,
      name: 'mid-tone',
      nodes: [
        { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'a mid tone', model: 'small-music' }, position: [0, 0] },
        { id: 'generate', type: 'sa3.generate', typeVersion: 1, params: { model: 'small-music', duration: SECONDS, steps: 4, seed: 5 }, position: [300, 0] },
        { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: 'wav', wav_bit_depth: '32f' }, position: [600, 0] },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'out.{ext}' }, position: [900, 0] },
      ],
      connections: [
        { from: ['prompt', 'conditioning'], to: ['generate', 'prompt'] },
        { from: ['generate', 'audio'], to: ['convert', 'audio'] },
        { from: ['convert', 'file'], to: ['save', 'file'] },
      ],
    }),
  );

  const uncached = await run({ SA3_CACHE: 'off' });
  expect(uncached.result.code, uncached.result.stderr).toBe(0);
  reference = await readFile(join(uncached.out, 'out.wav'));
  const [left] = decodeWithFfmpeg(join(uncached.out, 'out.wav'));
  expect(left!.length).toBe(SECONDS * 44_100);
  expect(Math.abs(dominantFrequency(left!) - MID_HZ)).toBeLessThan(1);

  const primed = await run();
  expect(primed.result.code, primed.result.stderr).toBe(0);
  expect(ranOrCached(primed.result, 'generate')).toBe('ran');
  cacheBefore = fileSet(cacheRoot());
  const entries = cacheBefore.filter((f) => f.endsWith('.sa3r'));
  expect(entries).toHaveLength(1);
  entryPath = join(cacheRoot(), entries[0]!);
  goodEntry = await readFile(entryPath);
  // The cache gives the same bytes as a run without it.
  const cached = await run();
  expect(ranOrCached(cached.result, 'generate')).toBe('cached');
  expect((await readFile(join(cached.out, 'out.wav'))).equals(reference)).toBe(true);
  expect(cacheLines(cached.result)).toEqual([]);
});

/** Puts the good entry back, whatever is at its place now. */
async function restoreEntry(): Promise<void> {
  await rm(entryPath, { recursive: true, force: true });
  await writeFile(entryPath, goodEntry);
}

/** A cache entry's JSON header, as far as these tests edit it. */
interface EntryHeader {
  key?: string;
  outputs: { name: string; sampleRate: number; channels: number; frames: number }[];
  sha256?: string;
}

/** The parts of the cache entry: 12-byte prefix (magic, format, header length), JSON header, samples. */
function withHeader(change: (header: EntryHeader) => void): Buffer {
  const headerBytes = goodEntry.readUInt32LE(8);
  const header = JSON.parse(goodEntry.subarray(12, 12 + headerBytes).toString('utf8')) as EntryHeader;
  change(header);
  const text = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.from(goodEntry.subarray(0, 12));
  prefix.writeUInt32LE(text.byteLength, 8);
  return Buffer.concat([prefix, text, goodEntry.subarray(12 + headerBytes)]);
}

function editedInPlace(from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const copy = Buffer.from(goodEntry);
  const at = copy.indexOf(from, 12, 'utf8');
  expect(at).toBeGreaterThan(0);
  copy.write(to, at, 'utf8');
  return copy;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const samplesBytes = () => 2 * SECONDS * 44_100 * 4;
const checksumReason = 'its checksum does not match its header and samples (they were changed after it was written)';

/**
 * Damages the cache entry, runs, and checks: exit 0, generate ran again, one sentence naming the
 * entry and what was wrong, the output byte-identical to the uncached run, the cache holding the
 * same files as before with the entry rewritten to its good bytes.
 */
async function expectCacheMiss(damage: () => Promise<void>, reason: string): Promise<void> {
  await restoreEntry();
  await damage();
  const { result, out } = await run();
  expect(result.code, result.stderr).toBe(0);
  expect(ranOrCached(result, 'generate')).toBe('ran');
  expect(cacheLines(result)).toEqual([cacheSentence(reason)]);
  expect(fileSet(out).filter((f) => !f.endsWith('.report.json'))).toEqual(['out.wav']);
  expect((await readFile(join(out, 'out.wav'))).equals(reference)).toBe(true);
  expect(fileSet(cacheRoot())).toEqual(cacheBefore);
  expect((await readFile(entryPath)).equals(goodEntry)).toBe(true);
  // And the replaced entry serves the next run.
  const next = await run();
  expect(ranOrCached(next.result, 'generate')).toBe('cached');
  expect(cacheLines(next.result)).toEqual([]);
  expect((await readFile(join(next.out, 'out.wav'))).equals(reference)).toBe(true);
}

describe('sa3 run with SA3_CACHE on: a damaged cache entry is a miss, said once, and replaced', () => {
  it('samples overwritten', () =>
    expectCacheMiss(async () => {
      const bytes = Buffer.from(goodEntry);
      bytes.fill(0x3f, bytes.byteLength - 4096, bytes.byteLength - 1024);
      await writeFile(entryPath, bytes);
    }, checksumReason));

  it('the header sample rate edited to 8000 Hz (same length, valid JSON): no slowed audio', () =>
    expectCacheMiss(() => writeFile(entryPath, editedInPlace('44100', ' 8000')), checksumReason));

  it('the header sample rate edited with the header length fixed', () =>
    expectCacheMiss(
      () =>
        writeFile(
          entryPath,
          withHeader((h) => (h.outputs[0]!.sampleRate = 8000)),
        ),
      checksumReason,
    ));

  it('the header channel count edited', () =>
    expectCacheMiss(
      () => writeFile(entryPath, editedInPlace('"channels":2', '"channels":1')),
      `its header describes ${samplesBytes() / 2} bytes of samples (1 x ${SECONDS * 44_100} frames) but the file holds ${samplesBytes()}`,
    ));

  it('the header frame count edited', () =>
    expectCacheMiss(
      () =>
        writeFile(
          entryPath,
          withHeader((h) => (h.outputs[0]!.frames = 8000 * SECONDS)),
        ),
      `its header describes ${2 * 8000 * SECONDS * 4} bytes of samples (2 x ${8000 * SECONDS} frames) but the file holds ${samplesBytes()}`,
    ));

  it('truncated to 0 bytes', () => expectCacheMiss(() => truncate(entryPath, 0), 'it is truncated (0 bytes, shorter than the 12-byte start of a result file)'));

  it('truncated to half', () => {
    const half = Math.floor(goodEntry.byteLength / 2);
    return expectCacheMiss(
      () => truncate(entryPath, half),
      `its header describes ${samplesBytes()} bytes of samples (2 x ${SECONDS * 44_100} frames) but the file holds ${half - 12 - goodEntry.readUInt32LE(8)}`,
    );
  });

  it('replaced by a directory (the run used to exit 0 without its output)', () =>
    expectCacheMiss(async () => {
      await rm(entryPath);
      await mkdir(entryPath);
      await writeFile(join(entryPath, 'inside.bin'), 'x');
    }, 'it is a directory, not a file the cache wrote'));

  it('replaced by a symlink to a good copy outside the cache: not followed, the copy left as it was', async () => {
    const outside = join(await tempDir('sa3-integrity-outside-'), 'copy.sa3r');
    await writeFile(outside, goodEntry);
    await expectCacheMiss(async () => {
      await rm(entryPath);
      await symlink(outside, entryPath);
    }, 'it is a symbolic link, not a file the cache wrote');
    expect((await readFile(outside)).equals(goodEntry)).toBe(true);
  });

  it('replaced by a FIFO: the run does not hang', () =>
    expectCacheMiss(async () => {
      await rm(entryPath);
      execFileSync('mkfifo', [entryPath]);
    }, 'it is a special file, not a file the cache wrote'));

  it('the checksum field removed', () =>
    expectCacheMiss(
      () =>
        writeFile(
          entryPath,
          withHeader((h) => delete h.sha256),
        ),
      'its header has no checksum',
    ));

  it('garbage instead of the JSON header', () =>
    expectCacheMiss(() => {
      const headerBytes = goodEntry.readUInt32LE(8);
      const bytes = Buffer.from(goodEntry);
      bytes.fill('#', 12, 12 + headerBytes);
      return writeFile(entryPath, bytes);
    }, 'its header is not valid JSON'));

  it('an entry in the old format (no key, no checksum)', () =>
    expectCacheMiss(() => {
      const headerBytes = goodEntry.readUInt32LE(8);
      const { outputs } = JSON.parse(goodEntry.subarray(12, 12 + headerBytes).toString('utf8')) as { outputs: unknown[] };
      const header = Buffer.from(JSON.stringify(outputs), 'utf8');
      const prefix = Buffer.from(goodEntry.subarray(0, 12));
      prefix.writeUInt32LE(1, 4);
      prefix.writeUInt32LE(header.byteLength, 8);
      return writeFile(entryPath, Buffer.concat([prefix, header, goodEntry.subarray(12 + headerBytes)]));
    }, 'it was written in an older format (1) that carries no checksum'));

  it("another result's good entry copied under this entry's name", async () => {
    // A second result (another seed) beside the first; copied over the first, it must not be served for it.
    const second = await runCli(['run', workflowPath, '--out', await tempDir('sa3-integrity-out-'), '--json', '--set', 'generate.seed=6'], {
      env: { SA3_HOME: home, SA3_CACHE: 'on' },
    });
    expect(second.code, second.stderr).toBe(0);
    const otherPath = fileSet(cacheRoot())
      .map((f) => join(cacheRoot(), f))
      .find((f) => f.endsWith('.sa3r') && f !== entryPath)!;
    const otherBytes = await readFile(otherPath);
    const saved = cacheBefore;
    cacheBefore = fileSet(cacheRoot());
    try {
      await expectCacheMiss(() => writeFile(entryPath, otherBytes), `it was written for another entry ("${basename(otherPath, '.sa3r')}")`);
      expect((await readFile(otherPath)).equals(otherBytes)).toBe(true);
    } finally {
      await rm(otherPath);
      cacheBefore = saved;
    }
    expect(fileSet(cacheRoot())).toEqual(cacheBefore);
  });
});

describe('a damaged pack file is refused, naming the file and the pack, and never used', () => {
  const file = () => join(packDir(), 'dit.onnx');
  const stampOf = async () => JSON.parse(await readFile(join(packDir(), '.sa3-verified.json'), 'utf8')) as Record<string, { bytes: number; mtimeNs: string }>;
  /** Changes the file, then puts its times back as `touch -r` does, to the nanosecond. */
  async function keepingMtime(change: () => Promise<void>): Promise<void> {
    const reference = join(await tempDir('sa3-integrity-times-'), 'times');
    await writeFile(reference, '');
    execFileSync('touch', ['-r', file(), reference]);
    await change();
    execFileSync('touch', ['-r', reference, file()]);
  }
  const refusal = (problem: string) =>
    `the model pack "small-music" in ${packDir()} cannot be used: ${problem}; remove it with "sa3 models remove small-music" and install it again`;

  /**
   * Runs with the pack damaged: exit 1, the sentence (made once the damage is done), no output,
   * nothing new in the cache or the pack; then repairs it, and the next run gives the reference bytes.
   */
  async function expectRefused(damage: (original: Buffer) => Promise<void>, code: string, sentence: (original: Buffer) => string): Promise<void> {
    const original = await readFile(file());
    const packBefore = fileSet(packDir());
    await damage(original);
    const packDamaged = fileSet(packDir());
    const cacheNow = fileSet(cacheRoot());
    try {
      const { result, out } = await run();
      expect(result.code, result.stderr).toBe(1);
      expect(nodeErrors(result)).toEqual([{ node: 'prompt', code, message: sentence(original) }]);
      expect(ranOrCached(result, 'generate')).toBe('none');
      expect(fileSet(out).filter((f) => !f.endsWith('.report.json'))).toEqual([]);
      expect(fileSet(cacheRoot())).toEqual(cacheNow);
      expect(fileSet(packDir())).toEqual(packDamaged);
    } finally {
      await rm(file(), { recursive: true, force: true });
      await writeFile(file(), original);
    }
    expect(fileSet(packDir())).toEqual(packBefore);
    const repaired = await run({ SA3_CACHE: 'off' });
    expect(repaired.result.code, repaired.result.stderr).toBe(0);
    expect((await readFile(join(repaired.out, 'out.wav'))).equals(reference)).toBe(true);
  }

  it('a byte flipped with the modification time put back (size and mtime still what the stamp recorded)', () =>
    expectRefused(
      async (original) => {
        const before = statSync(file(), { bigint: true });
        expect((await stampOf())['dit.onnx']).toMatchObject({ bytes: original.byteLength, mtimeNs: String(before.mtimeNs) });
        const flipped = Buffer.from(original);
        flipped[flipped.byteLength >> 1]! ^= 0x01;
        await keepingMtime(() => writeFile(file(), flipped));
        // Exactly what a size + mtime stamp would have trusted:
        const after = statSync(file(), { bigint: true });
        expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
      },
      'file_corrupt',
      (original) => {
        const flipped = Buffer.from(original);
        flipped[flipped.byteLength >> 1]! ^= 0x01;
        return `the pack small-music in ${packDir()} is damaged: ${file()} is corrupted (its sha256 is ${sha256(flipped).slice(0, 12)}... but the pack says ${sha256(original).slice(0, 12)}...); pull or import the pack again`;
      },
    ));

  it('truncated with the modification time put back', () =>
    expectRefused(
      async (original) => {
        await keepingMtime(() => truncate(file(), original.byteLength >> 1));
        expect((await stampOf())['dit.onnx']).toMatchObject({ mtimeNs: String(statSync(file(), { bigint: true }).mtimeNs) });
      },
      'pack_damaged',
      (original) => refusal(`${file()} is ${original.byteLength >> 1} bytes but the pack says ${original.byteLength}: the file is incomplete or replaced`),
    ));

  it('replaced by a directory', () =>
    expectRefused(
      async () => {
        await rm(file());
        await mkdir(file());
      },
      'pack_damaged',
      (original) => refusal(`${file()} is ${statSync(file()).size} bytes but the pack says ${original.byteLength}: the file is incomplete or replaced`),
    ));

  it('missing', () =>
    expectRefused(
      () => rm(file()),
      'pack_damaged',
      () => refusal(`the pack small-music in ${packDir()} is missing dit.onnx (its dit graph); pull or import the pack again`),
    ));
});
