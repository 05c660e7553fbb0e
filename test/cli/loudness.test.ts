import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventOfType, runCli, tempDir } from '../helpers/cli.js';
import { probe } from '../helpers/audio-probe.js';
import { examplesDir } from '../helpers/paths.js';

/** ffmpeg's ebur128 filter, run here on a file: integrated loudness (LUFS) and true peak (dBTP), from its last per-100 ms metadata. */
async function ebur128(path: string, dir: string): Promise<{ integrated: number; truePeak: number }> {
  const log = join(dir, 'ebur128.txt');
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${log}`, '-f', 'null', '-']);
  const text = await readFile(log, 'utf8');
  const last = (key: string) => Number([...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key}=(.+)$`, 'gm'))].pop()![1]);
  return { integrated: last('I'), truePeak: 20 * Math.log10(last('true_peak')) };
}

/** The version and loudness fields (hundredths) of a WAV file's bext chunk, parsed from its bytes (EBU Tech 3285). */
function bextChunk(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 12; p + 8 <= bytes.length; p += 8 + view.getUint32(p + 4, true) + (view.getUint32(p + 4, true) & 1)) {
    if (String.fromCharCode(...bytes.subarray(p, p + 4)) !== 'bext') continue;
    const field = (offset: number) => view.getInt16(p + 8 + offset, true);
    return {
      version: view.getUint16(p + 8 + 346, true),
      loudnessValue: field(412),
      loudnessRange: field(414),
      maxTruePeakLevel: field(416),
      maxMomentaryLoudness: field(418),
      maxShortTermLoudness: field(420),
    };
  }
  return undefined;
}

const env: Record<string, string> = {};
let dir = '';
beforeAll(async () => {
  env.SA3_HOME = await tempDir('sa3-home-');
  dir = await tempDir('sa3-loudness-');
  expect((await runCli(['models', 'testpack', '--id', 'small-music'], { env })).code).toBe(0);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '2', join(dir, 'silence.wav')]);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '2', join(dir, 'tone.wav')]);
});

describe('audio.loudness through the CLI', () => {
  it('loudness-master: the MP3 it saves measures -14 LUFS (within 0.5 LU) under -1 dBTP by ebur128, and the node reports what it measured', async () => {
    const out = await tempDir();
    const result = await runCli(['run', join(examplesDir, 'loudness-master.json'), '--json', '--out', out], { env });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const report = eventOfType(result, 'run-done')!.report;
    const byId = Object.fromEntries(report.nodes.map((n) => [n.id, n]));
    const generated = byId.generate!.outputs!.audio!;
    const normalized = byId.loudness!.outputs!.audio!;
    if (generated.type !== 'audio' || normalized.type !== 'audio') throw new Error('audio outputs expected');
    expect(normalized.frames).toBe(generated.frames);
    expect(normalized.sampleRate).toBe(44_100);
    expect(normalized.loudness).toMatchObject({ mode: expect.stringMatching(/^(linear|dynamic)$/) as unknown });
    expect(Math.abs(normalized.loudness!.integratedLufs + 14)).toBeLessThanOrEqual(0.5);
    expect(normalized.loudness!.truePeakDbtp).toBeLessThan(-1);
    expect(normalized.loudness!.rangeLu).toBeGreaterThanOrEqual(0);
    expect(normalized.loudness!.source!.integratedLufs).not.toBeCloseTo(-14, 0);

    const file = report.outputs[0]!.absolutePath;
    expect(probe(file)).toMatchObject({ codec: 'mp3', sampleRate: 44_100, channels: 2 });
    const measured = await ebur128(file, out);
    expect(Math.abs(measured.integrated + 14)).toBeLessThanOrEqual(0.5);
    expect(measured.truePeak).toBeLessThan(-1);

    // The MP3 carries the levels ffmpeg measures in it, as ReplayGain 2.0 and plain ID3v2 TXXX tags, next to its workflow.
    const tags = probe(file).tags;
    expect(Math.abs(parseFloat(tags.LOUDNESS_INTEGRATED!) - measured.integrated)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(parseFloat(tags.LOUDNESS_TRUE_PEAK!) - measured.truePeak)).toBeLessThanOrEqual(0.011);
    expect(tags.LOUDNESS_RANGE).toMatch(/^\d+\.\d\d LU$/);
    expect(Math.abs(parseFloat(tags.REPLAYGAIN_TRACK_GAIN!) - (-18 - measured.integrated))).toBeLessThanOrEqual(0.011);
    expect(Math.abs(Number(tags.REPLAYGAIN_TRACK_PEAK) - Math.pow(10, measured.truePeak / 20))).toBeLessThanOrEqual(0.0002);
    const extracted = await runCli(['extract', file]);
    expect(extracted.code).toBe(0);
    expect((JSON.parse(extracted.stdout) as { name: string }).name).toBe('loudness-master');
  });

  it('loudness-master saved as 24-bit WAV: a bext chunk version 2 holds the levels in hundredths; as FLAC: ReplayGain Vorbis comments', async () => {
    const out = await tempDir();
    for (const format of ['wav', 'flac']) {
      const args = ['--set', `convert.format=${format}`, '--set', 'convert.wav_bit_depth=24'];
      const result = await runCli(['run', join(examplesDir, 'loudness-master.json'), '--json', '--out', out, ...args], { env });
      expect(result.code, result.stderr + result.stdout).toBe(0);
      const report = eventOfType(result, 'run-done')!.report;
      const normalized = report.nodes.find((n) => n.id === 'loudness')!.outputs!.audio!;
      if (normalized.type !== 'audio') throw new Error('audio output expected');
      const loudness = normalized.loudness!;
      const file = report.outputs[0]!.absolutePath;
      if (format === 'wav') {
        const bext = bextChunk(await readFile(file));
        expect(bext).toMatchObject({ version: 2, loudnessValue: Math.round(loudness.integratedLufs * 100) });
        expect(bext!.loudnessRange).toBe(Math.round(loudness.rangeLu * 100));
        expect(bext!.maxTruePeakLevel).toBe(Math.round(loudness.truePeakDbtp * 100));
        expect(bext!.maxMomentaryLoudness).toBeGreaterThanOrEqual(bext!.loudnessValue);
        expect(bext!.maxShortTermLoudness).toBeGreaterThanOrEqual(bext!.loudnessValue);
      } else {
        expect(probe(file).tags).toMatchObject({
          REPLAYGAIN_TRACK_GAIN: `${(-18 - loudness.integratedLufs).toFixed(2)} dB`,
          REPLAYGAIN_TRACK_PEAK: Math.pow(10, loudness.truePeakDbtp / 20).toFixed(6),
          LOUDNESS_INTEGRATED: `${loudness.integratedLufs.toFixed(2)} LUFS`,
        });
      }
      const extracted = await runCli(['extract', file]);
      expect(extracted.code).toBe(0);
      expect((JSON.parse(extracted.stdout) as { name: string }).name).toBe('loudness-master');
    }
  });

  it('a saved file whose audio was never measured carries no loudness tags and no bext chunk', async () => {
    const workflow = {
      format: 'sa3-workflow',
      version: 1,
      name: 'unmeasured',
      nodes: [
        { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'tone.wav' } },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
      ],
      connections: [{ from: ['load', 'audio'], to: ['save', 'audio'] }],
    };
    const file = join(dir, 'unmeasured.json');
    await writeFile(file, JSON.stringify(workflow));
    const out = await tempDir();
    const result = await runCli(['run', file, '--json', '--out', out], { env });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const saved = eventOfType(result, 'run-done')!.report.outputs[0]!.absolutePath;
    expect(bextChunk(await readFile(saved))).toBeUndefined();
    expect(Object.keys(probe(saved).tags).filter((key) => /REPLAYGAIN|LOUDNESS/i.test(key))).toEqual([]);
    expect((await runCli(['extract', saved])).code).toBe(0);
  });

  it('refuses a target above -5 LUFS and a ceiling above 0 dBTP before running', async () => {
    const out = await tempDir();
    const args = ['--set', 'loudness.target_lufs=-3', '--set', 'loudness.true_peak_dbtp=0.5'];
    const result = await runCli(['run', join(examplesDir, 'loudness-master.json'), '--json', '--out', out, ...args], { env });
    expect(result.code).toBe(2);
    const problems = eventOfType(result, 'invalid')!.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'value_bigger_than_max', node: 'loudness', param: 'target_lufs' }),
        expect.objectContaining({ code: 'value_bigger_than_max', node: 'loudness', param: 'true_peak_dbtp' }),
      ]),
    );
    expect(await readdir(out)).toEqual([]);
  });

  it('refuses silence, which has no loudness, in one sentence naming the node and its input', async () => {
    const workflow = {
      format: 'sa3-workflow',
      version: 1,
      name: 'silent',
      nodes: [
        { id: 'load', type: 'audio.load', typeVersion: 1, params: { source: 'silence.wav' } },
        { id: 'loudness', type: 'audio.loudness', typeVersion: 1, params: {} },
        { id: 'save', type: 'audio.save', typeVersion: 1, params: {} },
      ],
      connections: [
        { from: ['load', 'audio'], to: ['loudness', 'audio'] },
        { from: ['loudness', 'audio'], to: ['save', 'audio'] },
      ],
    };
    const file = join(dir, 'silent.json');
    await writeFile(file, JSON.stringify(workflow));
    const out = await tempDir();
    const result = await runCli(['run', file, '--json', '--out', out], { env });
    expect(result.code).toBe(2);
    const error = eventOfType(result, 'run-error')!.report.error!;
    expect(error).toMatchObject({ code: 'loudness_unmeasurable', node: 'loudness', input: 'audio' });
    expect(error.message).toMatch(/silent/);
    expect(error.message.split(/\.\s/)).toHaveLength(1);
    expect(await readdir(out)).toEqual([]);
  });
});
