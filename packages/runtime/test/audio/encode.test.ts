import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EncodeOptions } from '@sa3/nodes';
import { afterAll, describe, expect, it } from 'vitest';
import { createAudioIO } from '../../src/audio/index.js';
import { encodeAudio } from '../../src/audio/encode.js';
import { decodeWav } from '../../src/audio/wav.js';
import { childProcessNames, ffprobeJson, listDir, makeTempDir, sineClip } from '../helpers/audio-files.js';
import { dominantFrequency, rms } from '../helpers/spectrum.js';

const temp = makeTempDir();
const scratch = makeTempDir('sa3-audio-scratch-');
const audio = createAudioIO({ baseDir: temp.dir, tempDir: scratch.dir });
const signal = new AbortController().signal;
afterAll(() => {
  temp.remove();
  scratch.remove();
});

async function roundTrip(options: EncodeOptions, frequency = 440) {
  const clip = sineClip(frequency, 2, 0.5);
  const encoded = await audio.encode(clip, options, signal);
  const path = join(temp.dir, `round-trip-${options.format}-${JSON.stringify(options).length}.${encoded.extension}`);
  writeFileSync(path, encoded.bytes);
  const decoded = await audio.load(path, signal);
  return { clip, encoded, path, decoded };
}

describe('encode', () => {
  it.each([
    [{ format: 'wav', bitDepth: '16' }, 'audio/wav', 'pcm_s16le'],
    [{ format: 'wav', bitDepth: '24' }, 'audio/wav', 'pcm_s24le'],
    [{ format: 'wav', bitDepth: '32f' }, 'audio/wav', 'pcm_f32le'],
    [{ format: 'mp3', bitrateKbps: 192 }, 'audio/mpeg', 'mp3'],
    [{ format: 'flac', compressionLevel: 5 }, 'audio/flac', 'flac'],
    [{ format: 'ogg', quality: 5 }, 'audio/ogg', 'vorbis'],
  ] as const)('encodes %j as %s (%s) and decodes back to the same tone and length', async (options, mime, codec) => {
    for (const frequency of [440, 1000]) {
      const { clip, encoded, path, decoded } = await roundTrip(options, frequency);
      expect(encoded.mime).toBe(mime);
      expect(encoded.extension).toBe(options.format);
      const stream = ffprobeJson(path).streams[0]!;
      expect(stream).toMatchObject({ codec_name: codec, sample_rate: '44100', channels: 2 });
      expect(decoded.sampleRate).toBe(44_100);
      expect(decoded.channels).toHaveLength(2);
      // MP3 is trimmed exactly thanks to the LAME header (written because ffmpeg writes to a file).
      expect(decoded.channels[0]!.length).toBe(88_200);
      for (const channel of decoded.channels) {
        expect(dominantFrequency(channel, 44_100)).toBeCloseTo(frequency, 0);
        // libmp3lame + ffmpeg's decoder come out about 0.3 dB quieter, also on the ffmpeg CLI.
        const lossless = options.format === 'wav' || options.format === 'flac';
        expect(Math.abs(rms(channel) / (0.5 / Math.SQRT2) - 1)).toBeLessThan(lossless ? 1e-4 : 0.05);
      }
      if (options.format === 'wav' || options.format === 'flac') {
        let maxError = 0;
        for (let i = 0; i < 88_200; i++) maxError = Math.max(maxError, Math.abs(decoded.channels[0]![i]! - clip.channels[0]![i]!));
        // Half a step for the TS WAV writer (it rounds); FLAC gets 24 bits from ffmpeg, which truncates.
        const allowed = options.format === 'flac' ? 2 ** -23 : options.bitDepth === '16' ? 2 ** -16 : options.bitDepth === '24' ? 2 ** -24 : 0;
        expect(maxError).toBeLessThanOrEqual(allowed + 1e-12);
      }
    }
  });

  it.each([96, 128, 320])('writes CBR MP3 at %i kbps, as ffprobe reports', async (kbps) => {
    const { path } = await roundTrip({ format: 'mp3', bitrateKbps: kbps });
    expect(Number(ffprobeJson(path).streams[0]!.bit_rate)).toBe(kbps * 1000);
  });

  it('writes smaller FLAC at higher compression levels, losslessly', async () => {
    const noise = Float32Array.from({ length: 88_200 }, (_, i) => 0.3 * Math.sin(i * 0.05) + 0.05 * Math.sin(i * 1.3));
    const clip = { sampleRate: 44_100, channels: [noise, noise.map((s) => -s)] };
    const fast = await audio.encode(clip, { format: 'flac', compressionLevel: 0 }, signal);
    const best = await audio.encode(clip, { format: 'flac', compressionLevel: 12 }, signal);
    expect(best.bytes.length).toBeLessThan(fast.bytes.length);
    expect(ffprobeJson(writeTo('best.flac', best.bytes)).streams[0]!.bits_per_raw_sample).toBe('24');
  });

  it('scales Vorbis size with quality', async () => {
    const clip = sineClip(440, 2, 0.5);
    const low = await audio.encode(clip, { format: 'ogg', quality: 0 }, signal);
    const high = await audio.encode(clip, { format: 'ogg', quality: 10 }, signal);
    expect(high.bytes.length).toBeGreaterThan(low.bytes.length);
  });

  it('encodes WAV in TypeScript, readable by the TS reader', async () => {
    const encoded = await audio.encode(sineClip(440, 0.5, 0.25), { format: 'wav', bitDepth: '32f' }, signal);
    const read = decodeWav(encoded.bytes);
    expect(read).toMatchObject({ sampleRate: 44_100, bitsPerSample: 32, sampleFormat: 'float' });
    expect(read.channels[0]!.length).toBe(22_050);
  });

  it('rejects an aborted encode with an AbortError and cleans up', async () => {
    const controller = new AbortController();
    // Ten minutes of noise: far more than ffmpeg can encode before the abort.
    const noise = new Float32Array(44_100 * 600);
    for (let i = 0, x = 1; i < noise.length; i++) noise[i] = ((x = (x * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32 - 0.5) * 0.5;
    const clip = { sampleRate: 44_100, channels: [noise, noise] };
    const encoding = encodeAudio(clip, { format: 'flac', compressionLevel: 12 }, controller.signal, { tempDir: scratch.dir });
    setTimeout(() => controller.abort(), 100);
    await expect(encoding).rejects.toMatchObject({ name: 'AbortError' });
    expect(listDir(scratch.dir)).toEqual([]);
    await expect.poll(() => childProcessNames().filter((name) => name === 'ffmpeg'), { timeout: 5000 }).toEqual([]);
  });

  it('leaves no temp files behind', () => {
    expect(listDir(scratch.dir)).toEqual([]);
  });
});

function writeTo(name: string, bytes: Uint8Array): string {
  const path = join(temp.dir, name);
  writeFileSync(path, bytes);
  return path;
}
