import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { decodeWithFfmpeg, dominantFrequency } from '../helpers/audio-probe.js';

const LOW = (20 * 44_100) / 4096;
const HIGH = (82 * 44_100) / 4096;
const env: Record<string, string> = {};
let dir = '';

beforeAll(async () => {
  env.SA3_HOME = await tempDir('sa3-home-');
  dir = await tempDir('sa3-regions-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env })).code).toBe(0);
  const source = await runCli(['generate', 'low', '--duration', '6', '--seed', '1', '--out', 'src.wav'], { env, cwd: dir });
  expect(source.code, source.stderr).toBe(0);
});

const generate = (args: string[]) => runCli(['generate', ...args], { env, cwd: dir });
const seconds = (s: number) => Math.trunc(s * 44_100);

describe('sa3 generate --region (several regions in one pass)', () => {
  it("regenerates both regions with the prompt's tone and keeps every sample outside them", async () => {
    const result = await generate(['high', '--inpaint-audio', 'src.wav', '--region', '1:2', '--region', '3.5:4.5', '--seed', '2', '--out', 'two.wav']);
    expect(result.code, result.stderr).toBe(0);
    const source = decodeWithFfmpeg(join(dir, 'src.wav'));
    const out = decodeWithFfmpeg(join(dir, 'two.wav'));
    expect(out[0]!.length).toBe(6 * 44_100);
    const kept = [
      [0, seconds(1)],
      [seconds(2), seconds(3.5)],
      [seconds(4.5), 6 * 44_100],
    ] as const;
    for (let c = 0; c < 2; c++) {
      for (const [from, to] of kept) {
        const differing = out[c]!.subarray(from, to).findIndex((v, i) => v !== source[c]![from + i]);
        expect(differing, `channel ${c}, kept span [${from}, ${to})`).toBe(-1);
      }
    }
    for (const [from, to] of [
      [1, 2],
      [3.5, 4.5],
    ] as const) {
      const inside = out[0]!.slice(seconds(from) + 4096, seconds(to) - 2048);
      expect(dominantFrequency(inside, 44_100)).toBeCloseTo(HIGH, -0.5);
    }
    expect(dominantFrequency(out[0]!.slice(seconds(2), seconds(3.5)), 44_100)).toBeCloseTo(LOW, -0.5);
    // No click at any region edge: no step between neighbours beyond the high tone's own (amplitude 0.5), times
    // sqrt 2 where a crossfade sums two tones in phase.
    const highStep = ((2 * Math.PI * HIGH) / 44_100) * 0.5;
    for (const channel of out) {
      let largest = 0;
      for (let i = 1; i < channel.length; i++) largest = Math.max(largest, Math.abs(channel[i]! - channel[i - 1]!));
      expect(largest).toBeLessThan(highStep * 1.5);
    }
  });

  it('reads --region as START:END and says so in one sentence otherwise', async () => {
    const bad = await generate(['high', '--inpaint-audio', 'src.wav', '--region', '2', '--out', 'bad.wav']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('sa3 generate: --region must be START:END in seconds, for example 0.5:2, got "2"');
    const alone = await generate(['high', '--region', '1:2', '--out', 'bad.wav']);
    expect(alone.code).toBe(2);
    expect(alone.stderr.trim()).toBe('sa3 generate: --region marks a region of --inpaint-audio FILE to regenerate; give the file too');
    const reversed = await generate(['high', '--inpaint-audio', 'src.wav', '--region', '1:2', '--region', '3:2.5', '--json', '--out', 'bad.wav']);
    expect(reversed.code).toBe(2);
    const problem = reversed.events.find((e) => e.type === 'invalid')?.problems[0];
    expect(problem).toMatchObject({ code: 'invalid_range', param: 'regions' });
    expect(problem?.message).toContain('region 2 ends at 2.5 s, which is not after its start 3 s');
  });
});
