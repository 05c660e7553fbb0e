import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventOfType, runCli, tempDir } from '../helpers/cli.js';
import { decodeWithFfmpeg, dominantFrequency } from '../helpers/audio-probe.js';

const MID = (41 * 44_100) / 4096;
/** The largest step between neighbouring samples of the test pack's mid tone (amplitude 0.5): 2*pi*f/44100 * 0.5. */
const TONE_STEP = ((2 * Math.PI * MID) / 44_100) * 0.5;
const env: Record<string, string> = {};
let dir = '';

beforeAll(async () => {
  env.SA3_HOME = await tempDir('sa3-home-');
  dir = await tempDir('sa3-loop-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env })).code).toBe(0);
});

function loopWorkflow(loopParams: Record<string, unknown>, convertParams: Record<string, unknown> = { format: 'wav', wav_bit_depth: '32f' }) {
  return {
    format: 'sa3-workflow',
    version: 1,
    name: 'loop',
    nodes: [
      { id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: 'a soft mid tone' } },
      { id: 'loop', type: 'sa3.loop', typeVersion: 1, params: loopParams },
      { id: 'convert', type: 'audio.convert', typeVersion: 2, params: convertParams },
      { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: 'loop.{ext}' } },
    ],
    connections: [
      { from: ['prompt', 'conditioning'], to: ['loop', 'prompt'] },
      { from: ['loop', 'audio'], to: ['convert', 'audio'] },
      { from: ['convert', 'file'], to: ['save', 'file'] },
    ],
  };
}

async function runLoop(name: string, workflow: object, extraEnv: Record<string, string> = {}) {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify(workflow));
  const out = await tempDir('sa3-loop-out-');
  const result = await runCli(['run', file, '--json', '--out', out], { env: { ...env, ...extraEnv } });
  return { result, done: eventOfType(result, 'run-done') };
}

/** The RIFF chunks of a WAV file by id: their data. */
function riffChunks(bytes: Buffer): Map<string, Buffer> {
  const chunks = new Map<string, Buffer>();
  for (let p = 12; p + 8 <= bytes.length;) {
    const size = bytes.readUInt32LE(p + 4);
    chunks.set(bytes.toString('latin1', p, p + 4), bytes.subarray(p + 8, p + 8 + size));
    p += 8 + size + (size & 1);
  }
  return chunks;
}

describe('sa3.loop', () => {
  it('a 4-bar loop at 120 BPM is exactly 8.000 s, wraps without a step, and its WAV carries the loop points', async () => {
    const { result, done } = await runLoop('four-bars', loopWorkflow({ bars: 4, bpm: 120, seed: 3 }));
    expect(done, result.stderr + result.stdout).toBeDefined();
    const path = done!.report.outputs[0]!.absolutePath;
    const [left, right] = decodeWithFfmpeg(path);
    expect(left!.length).toBe(352_800);
    expect(dominantFrequency(left!, 44_100)).toBeCloseTo(MID, -0.5);
    for (const channel of [left!, right!]) {
      let largestInside = 0;
      for (let i = 1; i < channel.length; i++) largestInside = Math.max(largestInside, Math.abs(channel[i]! - channel[i - 1]!));
      const wrapStep = Math.abs(channel[0]! - channel[channel.length - 1]!);
      // No click anywhere inside either: at most the tone's own step, times sqrt 2 where a crossfade sums two in-phase tones.
      expect(largestInside).toBeGreaterThan(TONE_STEP * 0.9);
      expect(largestInside).toBeLessThan(TONE_STEP * 1.5);
      expect(wrapStep).toBeLessThanOrEqual(largestInside * 1.1);
    }
    const smpl = riffChunks(await readFile(path)).get('smpl');
    expect(smpl?.length).toBe(60);
    expect(smpl!.readUInt32LE(8)).toBe(Math.round(1e9 / 44_100)); // sample period, ns
    expect(smpl!.readUInt32LE(28)).toBe(1); // one loop
    expect(smpl!.readUInt32LE(36 + 4)).toBe(0); // forward
    expect(smpl!.readUInt32LE(36 + 8)).toBe(0); // start
    expect(smpl!.readUInt32LE(36 + 12)).toBe(352_799); // end, inclusive
    expect(smpl!.readUInt32LE(36 + 20)).toBe(0); // endless
  });

  it('without the seam pass the same cut would click at the wrap point', async () => {
    // The same generate, cut to 8 s: what the loop starts from before its seam is regenerated.
    const raw = await runCli(['generate', 'a soft mid tone', '--duration', '10', '--seed', '3', '--out', join(dir, 'raw.wav')], { env });
    expect(raw.code, raw.stderr).toBe(0);
    const [left] = decodeWithFfmpeg(join(dir, 'raw.wav'));
    const cut = left!.subarray(0, 352_800);
    let largestInside = 0;
    for (let i = 1; i < cut.length; i++) largestInside = Math.max(largestInside, Math.abs(cut[i]! - cut[i - 1]!));
    expect(Math.abs(cut[0]! - cut[cut.length - 1]!)).toBeGreaterThan(largestInside * 1.1);
  });

  it('a loop given in seconds is that many frames, rounded to the nearest', async () => {
    const { result, done } = await runLoop('seconds', loopWorkflow({ length_in: 'seconds', seconds: 2.5, seed: 4 }, { format: 'wav' }));
    expect(done, result.stderr + result.stdout).toBeDefined();
    const path = done!.report.outputs[0]!.absolutePath;
    expect(decodeWithFfmpeg(path)[0]!.length).toBe(110_250);
    expect(
      riffChunks(await readFile(path))
        .get('smpl')!
        .readUInt32LE(36 + 12),
    ).toBe(110_249);
  });

  it('a loop served from the disk cache keeps its loop points', async () => {
    const cached = { SA3_CACHE: 'on' };
    const workflow = loopWorkflow({ length_in: 'seconds', seconds: 1.5, seed: 6 }, { format: 'wav' });
    const first = await runLoop('cached', workflow, cached);
    const second = await runLoop('cached', workflow, cached);
    expect(first.result.events.some((e) => e.type === 'node-cached' && e.node === 'loop')).toBe(false);
    expect(second.result.events.some((e) => e.type === 'node-cached' && e.node === 'loop')).toBe(true);
    const [a, b] = await Promise.all([first, second].map((r) => readFile(r.done!.report.outputs[0]!.absolutePath)));
    expect(
      riffChunks(b!)
        .get('smpl')!
        .readUInt32LE(36 + 12),
    ).toBe(66_149);
    expect(riffChunks(b!).get('data')!.equals(riffChunks(a!).get('data')!)).toBe(true);
  });

  it('refuses a loop shorter than a second in one sentence naming the param', async () => {
    const { result } = await runLoop('short', loopWorkflow({ bars: 1, bpm: 300, beats_per_bar: 4 }));
    expect(result.code).toBe(2);
    const error = eventOfType(result, 'run-error')?.report.error;
    expect(error).toMatchObject({ code: 'value_smaller_than_min', node: 'loop', param: 'bars' });
    expect(error?.message).toContain('the loop would be 0.800 s long; make it at least 1 s');
  });

  it("refuses a loop longer than the pack can make, naming the loop's own param", async () => {
    const { result } = await runLoop('long', loopWorkflow({ bars: 32, bpm: 60 }));
    expect(result.code).toBe(2);
    const error = eventOfType(result, 'run-error')?.report.error;
    expect(error).toMatchObject({ code: 'value_bigger_than_max', node: 'loop', param: 'bars' });
    expect(error?.message).toBe('duration 130 s is longer than the 120.0 s the model pack "small-music" can make (the loop with its 2 s tail padding)');
  });
});
