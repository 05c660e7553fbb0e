import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AudioClip, type EncodeOptions, type LoudnessMeasurement, findChunk, parseRiff } from '@sa3/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEXT, createAudioIO, embedWorkflow, readEmbeddedWorkflow } from '../../src/audio/index.js';
import { ffprobeJson, makeTempDir, sineClip } from '../helpers/audio-files.js';

const temp = makeTempDir();
const audio = createAudioIO({ baseDir: temp.dir, tempDir: temp.dir });
const signal = new AbortController().signal;
afterAll(() => temp.remove());

const workflow = JSON.stringify({ version: 1, nodes: [{ id: 'loudness', type: 'audio.loudness', params: { target_lufs: -16 } }] });
const formats: Record<string, EncodeOptions> = {
  wav: { format: 'wav', bitDepth: '24' },
  mp3: { format: 'mp3', bitrateKbps: 128 },
  flac: { format: 'flac', compressionLevel: 5 },
  ogg: { format: 'ogg', quality: 4 },
};
const LOUDNESS_KEYS = ['REPLAYGAIN_TRACK_GAIN', 'REPLAYGAIN_TRACK_PEAK', 'LOUDNESS_INTEGRATED', 'LOUDNESS_RANGE', 'LOUDNESS_TRUE_PEAK'];

/** Four seconds of stereo chords whose level swells, so it has a loudness range and a true peak between samples. */
function swellingClip(): AudioClip {
  const rate = 44_100;
  const frames = rate * 4;
  const channel = (detune: number) =>
    Float32Array.from({ length: frames }, (_, i) => {
      const t = i / rate;
      const envelope = 0.15 + 0.6 * Math.abs(Math.sin(Math.PI * t * 0.5));
      return envelope * (0.5 * Math.sin(2 * Math.PI * (220 + detune) * t) + 0.3 * Math.sin(2 * Math.PI * 3373 * t) + 0.2 * Math.sin(2 * Math.PI * 9001 * t));
    });
  return { sampleRate: rate, channels: [channel(0), channel(1.5)] };
}

/** ffmpeg's ebur128 filter on a file, run here: integrated loudness (LUFS), range (LU) and true peak (dBTP). */
function ebur128(path: string): { integrated: number; range: number; truePeak: number } {
  const log = `${path}.ebur128.txt`;
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', path, '-af', `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${log}`, '-f', 'null', '-']);
  const text = readFileSync(log, 'utf8');
  const last = (key: string) => Number([...text.matchAll(new RegExp(`^lavfi\\.r128\\.${key}=(.+)$`, 'gm'))].pop()![1]);
  return { integrated: last('I'), range: last('LRA'), truePeak: 20 * Math.log10(last('true_peak')) };
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(temp.dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The file's tags as ffprobe reads them: format tags, and the stream's for Ogg, keys upper-cased. */
function probedTags(path: string): Record<string, string> {
  const probed = ffprobeJson(path);
  const tags = { ...(probed.format.tags as Record<string, string> | undefined), ...(probed.streams[0]!.tags as Record<string, string> | undefined) };
  return Object.fromEntries(Object.entries(tags).map(([key, value]) => [key.toUpperCase(), value]));
}

/** The bext chunk's version and loudness fields (in hundredths), parsed from the bytes. */
function bextFields(bytes: Uint8Array) {
  const chunk = findChunk(parseRiff(bytes)!, 'bext');
  if (!chunk) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset + chunk.dataOffset, chunk.size);
  return {
    size: chunk.size,
    version: view.getUint16(BEXT.version, true),
    loudnessValue: view.getInt16(BEXT.loudnessValue, true),
    loudnessRange: view.getInt16(BEXT.loudnessRange, true),
    maxTruePeakLevel: view.getInt16(BEXT.maxTruePeakLevel, true),
    maxMomentaryLoudness: view.getInt16(BEXT.maxMomentaryLoudness, true),
    maxShortTermLoudness: view.getInt16(BEXT.maxShortTermLoudness, true),
  };
}

let measured: AudioClip;
let loudness: LoudnessMeasurement;
const saved: Record<string, { path: string; bytes: Uint8Array }> = {};
const plain: Record<string, { path: string; bytes: Uint8Array }> = {};

beforeAll(async () => {
  measured = await audio.normalizeLoudness(swellingClip(), { integratedLufs: -16, truePeakDbtp: -1.5, rangeLu: 20 }, signal);
  loudness = measured.loudness!;
  for (const [ext, options] of Object.entries(formats)) {
    const bytes = embedWorkflow((await audio.encode(measured, options, signal)).bytes, ext, workflow);
    saved[ext] = { path: save(`measured.${ext}`, bytes), bytes };
    const unmeasured = embedWorkflow((await audio.encode(sineClip(440, 1, 0.5), options, signal)).bytes, ext, workflow);
    plain[ext] = { path: save(`plain.${ext}`, unmeasured), bytes: unmeasured };
  }
}, 60_000);

describe('loudness in the metadata of encoded files', () => {
  it('WAV: a bext chunk version 2 before the data chunk holds the measured levels in hundredths (EBU Tech 3285)', () => {
    const { bytes, path } = saved.wav!;
    expect(bextFields(bytes)).toEqual({
      size: 602,
      version: 2,
      loudnessValue: Math.round(loudness.integratedLufs * 100),
      loudnessRange: Math.round(loudness.rangeLu * 100),
      maxTruePeakLevel: Math.round(loudness.truePeakDbtp * 100),
      maxMomentaryLoudness: Math.round(loudness.maxMomentaryLufs! * 100),
      maxShortTermLoudness: Math.round(loudness.maxShortTermLufs! * 100),
    });
    const ids = parseRiff(bytes)!.chunks.map((chunk) => chunk.id);
    expect(ids.indexOf('bext')).toBe(ids.indexOf('data') - 1);
    // The chunk states what ffmpeg measures in the file itself.
    const independent = ebur128(path);
    expect(Math.abs(bextFields(bytes)!.loudnessValue / 100 - independent.integrated)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(bextFields(bytes)!.maxTruePeakLevel / 100 - independent.truePeak)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(bextFields(bytes)!.loudnessValue / 100 + 16)).toBeLessThanOrEqual(0.5);
    expect(probedTags(path)).not.toHaveProperty('REPLAYGAIN_TRACK_GAIN');
  });

  it('FLAC: Vorbis comments with ReplayGain 2.0 (gain to -18 LUFS, linear true peak) and the measured levels', () => {
    const tags = probedTags(saved.flac!.path);
    expect(tags).toMatchObject({
      REPLAYGAIN_TRACK_GAIN: `${(-18 - loudness.integratedLufs).toFixed(2)} dB`,
      REPLAYGAIN_TRACK_PEAK: Math.pow(10, loudness.truePeakDbtp / 20).toFixed(6),
      REPLAYGAIN_REFERENCE_LOUDNESS: '-18.00 LUFS',
      LOUDNESS_INTEGRATED: `${loudness.integratedLufs.toFixed(2)} LUFS`,
      LOUDNESS_RANGE: `${loudness.rangeLu.toFixed(2)} LU`,
      LOUDNESS_TRUE_PEAK: `${loudness.truePeakDbtp.toFixed(2)} dBTP`,
    });
    expect(Math.abs(parseFloat(tags.REPLAYGAIN_TRACK_GAIN!) - (-18 - ebur128(saved.flac!.path).integrated))).toBeLessThanOrEqual(0.05);
  });

  it.each(['mp3', 'ogg'])('%s: the tags state the encoded file’s own levels, measured again after lossy encoding', (ext) => {
    const tags = probedTags(saved[ext]!.path);
    const independent = ebur128(saved[ext]!.path);
    expect(Math.abs(parseFloat(tags.LOUDNESS_INTEGRATED!) - independent.integrated)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(parseFloat(tags.LOUDNESS_RANGE!) - independent.range)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(parseFloat(tags.LOUDNESS_TRUE_PEAK!) - independent.truePeak)).toBeLessThanOrEqual(0.011);
    expect(Math.abs(parseFloat(tags.REPLAYGAIN_TRACK_GAIN!) - (-18 - independent.integrated))).toBeLessThanOrEqual(0.011);
    expect(tags.REPLAYGAIN_TRACK_GAIN).toMatch(/^-?\d+\.\d\d dB$/);
    expect(Math.abs(Number(tags.REPLAYGAIN_TRACK_PEAK) - Math.pow(10, independent.truePeak / 20))).toBeLessThanOrEqual(0.0002);
    expect(tags.REPLAYGAIN_REFERENCE_LOUDNESS).toBe('-18.00 LUFS');
  });

  it('the MP3 carries them as ID3v2 TXXX frames', () => {
    const text = new TextDecoder('latin1').decode(saved.mp3!.bytes.subarray(0, 4096));
    for (const key of LOUDNESS_KEYS) expect(text).toMatch(new RegExp(`TXXX[\\s\\S]{7}${key}\\0`));
  });

  it.each(Object.keys(formats))('%s: the embedded workflow still reads back next to the loudness', (ext) => {
    expect(readEmbeddedWorkflow(saved[ext]!.bytes)).toBe(workflow);
    expect(readEmbeddedWorkflow(plain[ext]!.bytes)).toBe(workflow);
  });

  it('embedding the workflow again keeps one set of loudness tags', () => {
    const again = embedWorkflow(saved.flac!.bytes, 'flac', workflow);
    const text = new TextDecoder('latin1').decode(again);
    expect(text.split('REPLAYGAIN_TRACK_GAIN=').length).toBe(2);
    expect(probedTags(save('again.flac', again)).LOUDNESS_INTEGRATED).toBe(`${loudness.integratedLufs.toFixed(2)} LUFS`);
  });

  it.each(Object.keys(formats))('%s: audio without a measurement gets no loudness tags and no bext chunk', (ext) => {
    const tags = probedTags(plain[ext]!.path);
    for (const key of [...LOUDNESS_KEYS, 'REPLAYGAIN_REFERENCE_LOUDNESS']) expect(tags).not.toHaveProperty(key);
    if (ext === 'wav') expect(bextFields(plain.wav!.bytes)).toBeUndefined();
  });
});
