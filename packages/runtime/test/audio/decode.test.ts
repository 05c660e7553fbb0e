import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeError } from '@sa3/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioIO } from '../../src/audio/index.js';
import { encodeWav } from '../../src/audio/wav.js';
import { childProcessNames, ffmpeg, lavfiSine, listDir, makeTempDir } from '../helpers/audio-files.js';
import { dominantFrequency, peak, rms } from '../helpers/spectrum.js';

const temp = makeTempDir();
const scratch = makeTempDir('sa3-audio-scratch-');
const audio = createAudioIO({ baseDir: temp.dir, tempDir: scratch.dir });
const signal = new AbortController().signal;
const file = (name: string) => join(temp.dir, name);

async function loadError(source: string): Promise<NodeError> {
  const error = await audio.load(source, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

beforeAll(() => {
  lavfiSine(file('mono-440.wav'));
  lavfiSine(file('stereo-1k.wav'), { frequency: 1000, channels: 2 });
  lavfiSine(file('mono-440-48k.wav'), { rate: 48_000 });
  lavfiSine(file('tone.mp3'), { extra: ['-b:a', '192k'] });
  lavfiSine(file('tone.flac'));
  lavfiSine(file('tone-10s.ogg'), { seconds: 10, extra: ['-c:a', 'libvorbis'] });
  // Six channels: 440 Hz on front left, silence elsewhere except 1 kHz on front right.
  ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=1',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=1000:duration=1',
    '-f',
    'lavfi',
    '-i',
    'anullsrc=channel_layout=mono:sample_rate=44100',
    '-filter_complex',
    '[2]atrim=duration=1,asplit=4[c][l][ls][rs];[0][1][c][l][ls][rs]join=inputs=6:channel_layout=5.1:map=0.0-FL|1.0-FR|2.0-FC|3.0-LFE|4.0-BL|5.0-BR[out]',
    '-map',
    '[out]',
    file('surround.wav'),
  );
});
afterAll(() => {
  temp.remove();
  scratch.remove();
});

describe('AudioIO.load decoding', () => {
  it('decodes a mono 440 Hz WAV to 44.1 kHz stereo with identical channels', async () => {
    const clip = await audio.load('mono-440.wav', signal);
    expect(clip.sampleRate).toBe(44_100);
    expect(clip.channels).toHaveLength(2);
    const [left, right] = clip.channels;
    expect(left!.length).toBe(88_200);
    expect(right).toEqual(left);
    expect(dominantFrequency(left!, 44_100)).toBeCloseTo(440, 0);
    // lavfi's sine has amplitude 1/8.
    expect(peak(left!)).toBeCloseTo(0.125, 3);
    expect(rms(left!)).toBeCloseTo(0.125 / Math.SQRT2, 3);
  });

  it('decodes an absolute path and a stereo file', async () => {
    const clip = await audio.load(file('stereo-1k.wav'), signal);
    expect(clip.channels[0]!.length).toBe(88_200);
    expect(dominantFrequency(clip.channels[1]!, 44_100)).toBeCloseTo(1000, 0);
  });

  it('resamples 48 kHz input to 44.1 kHz with the right frame count', async () => {
    const clip = await audio.load('mono-440-48k.wav', signal);
    expect(clip.sampleRate).toBe(44_100);
    expect(Math.abs(clip.channels[0]!.length - 88_200)).toBeLessThanOrEqual(1);
    expect(dominantFrequency(clip.channels[0]!, 44_100)).toBeCloseTo(440, 0);
  });

  it('downmixes six channels to stereo', async () => {
    const clip = await audio.load('surround.wav', signal);
    expect(clip.channels).toHaveLength(2);
    const [left, right] = clip.channels;
    expect(left!.length).toBe(44_100);
    expect(dominantFrequency(left!, 44_100)).toBeCloseTo(440, 0);
    expect(dominantFrequency(right!, 44_100)).toBeCloseTo(1000, 0);
    expect(rms(left!)).toBeGreaterThan(0.02);
    expect(rms(right!)).toBeGreaterThan(0.02);
  });

  it('decodes MP3 without encoder delay or padding', async () => {
    const clip = await audio.load('tone.mp3', signal);
    expect(clip.channels[0]!.length).toBe(88_200);
    expect(clip.channels[1]).toEqual(clip.channels[0]);
    expect(dominantFrequency(clip.channels[0]!, 44_100)).toBeCloseTo(440, 0);
  });

  it('decodes FLAC losslessly', async () => {
    const clip = await audio.load('tone.flac', signal);
    const reference = await audio.load('mono-440.wav', signal);
    expect(clip.channels[0]!.length).toBe(88_200);
    expect(clip.channels[0]!.every((s, i) => s === reference.channels[0]![i])).toBe(true);
  });

  it('decodes Ogg Vorbis', async () => {
    const clip = await audio.load('tone-10s.ogg', signal);
    expect(clip.channels[0]!.length).toBe(441_000);
    expect(dominantFrequency(clip.channels[0]!, 44_100)).toBeCloseTo(440, 0);
  });

  it('keeps exact values of a 24-bit WAV written by the TS writer', async () => {
    const value = 1_234_567 / 8_388_608;
    const channel = new Float32Array(1000).fill(value);
    writeFileSync(file('exact-24.wav'), encodeWav({ sampleRate: 44_100, channels: [channel, channel.map((s) => -s)] }, '24'));
    const clip = await audio.load('exact-24.wav', signal);
    expect(clip.channels[0]!.length).toBe(1000);
    expect(clip.channels[0]![500]).toBe(value);
    expect(clip.channels[1]![500]).toBe(-value);
  });
});

describe('AudioIO.load rejects broken audio', () => {
  it('rejects an empty file with audio_empty', async () => {
    writeFileSync(file('empty.wav'), new Uint8Array(0));
    const error = await loadError('empty.wav');
    expect(error).toMatchObject({ code: 'audio_empty', kind: 'input', param: 'source' });
    expect(error.message).toContain('"empty.wav"');
  });

  it("rejects text pretending to be a WAV as audio_corrupt with ffmpeg's reason", async () => {
    writeFileSync(file('text.wav'), 'this is not audio at all, just some text\n'.repeat(100));
    const error = await loadError('text.wav');
    expect(error).toMatchObject({ code: 'audio_corrupt', kind: 'input', param: 'source' });
    expect(error.message).toBe('"text.wav" could not be decoded as audio: Invalid data found when processing input');
  });

  it('rejects pseudo-random bytes as audio_corrupt', async () => {
    let x = 12_345;
    const bytes = Uint8Array.from({ length: 20_000 }, () => ((x = (x * 1_103_515_245 + 12_345) >>> 0) >>> 16) & 0xff);
    writeFileSync(file('garbage.bin'), bytes);
    const error = await loadError('garbage.bin');
    expect(error.code).toBe('audio_corrupt');
    expect(error.message).toMatch(/^"garbage\.bin" could not be decoded as audio: \S/);
  });

  it('rejects a .txt file (which ffmpeg would read as ANSI art) as audio_corrupt', async () => {
    writeFileSync(file('notes.txt'), 'hello\n'.repeat(50));
    expect((await loadError('notes.txt')).code).toBe('audio_corrupt');
  });

  it('rejects files without an audio stream with audio_no_stream', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x64', '-c:v', 'mpeg4', file('video.mp4'));
    const error = await loadError('video.mp4');
    expect(error).toMatchObject({ code: 'audio_no_stream', kind: 'input', param: 'source' });
    expect(error.message).toBe('"video.mp4" contains no audio stream (found: video)');
  });

  it('rejects a WAV whose data chunk is cut short with audio_truncated, at or between frame boundaries', async () => {
    const whole = readFileSync(file('stereo-1k.wav'));
    for (const [name, length] of [
      ['cut-frame.wav', 200_078],
      ['cut-mid.wav', 200_001],
      ['cut-tiny.wav', whole.length - 4],
    ] as const) {
      writeFileSync(file(name), whole.subarray(0, length));
      const error = await loadError(name);
      expect(error).toMatchObject({ code: 'audio_truncated', kind: 'input', param: 'source' });
      expect(error.message).toMatch(new RegExp(`^"${name}" is truncated: its WAV header promises 2\\.000 s of audio but the file holds only \\d\\.\\d{3} s$`));
    }
  });

  it('rejects an MP3 cut in half (its Xing header promises more) with audio_truncated', async () => {
    const whole = readFileSync(file('tone.mp3'));
    writeFileSync(file('cut.mp3'), whole.subarray(0, 20_000));
    const error = await loadError('cut.mp3');
    expect(error.code).toBe('audio_truncated');
    expect(error.message).toMatch(/^"cut\.mp3" is truncated or damaged: its header promises 2\.0\d\d s of audio but only 0\.\d+ s could be decoded$/);
  });

  it('rejects a FLAC cut short (STREAMINFO promises more) with audio_truncated', async () => {
    const whole = readFileSync(file('tone.flac'));
    writeFileSync(file('cut.flac'), whole.subarray(0, Math.floor(whole.length / 2)));
    expect((await loadError('cut.flac')).code).toBe('audio_truncated');
  });

  it('accepts a streamed WAV whose header sizes are unknown (0xFFFFFFFF)', async () => {
    const bytes = new Uint8Array(readFileSync(file('mono-440.wav')));
    const view = new DataView(bytes.buffer);
    view.setUint32(4, 0xffffffff, true);
    const dataAt = Buffer.from(bytes).indexOf('data');
    view.setUint32(dataAt + 4, 0xffffffff, true);
    writeFileSync(file('streamed.wav'), bytes);
    const clip = await audio.load('streamed.wav', signal);
    expect(clip.channels[0]!.length).toBe(88_200);
  });

  it('rejects a WAV header without samples with audio_empty', async () => {
    writeFileSync(file('no-samples.wav'), encodeWav({ sampleRate: 44_100, channels: [new Float32Array(0), new Float32Array(0)] }, '16'));
    const error = await loadError('no-samples.wav');
    expect(error).toMatchObject({ code: 'audio_empty', param: 'source' });
  });

  it('rejects an aborted load with an AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(audio.load('mono-440.wav', controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('kills ffmpeg when aborted while decoding', async () => {
    lavfiSine(file('long.flac'), { seconds: 600 });
    const controller = new AbortController();
    const loading = audio.load('long.flac', controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => childProcessNames().filter((name) => name === 'ffmpeg' || name === 'ffprobe'), { timeout: 5000 }).toEqual([]);
  });

  it('leaves no temp files behind', () => {
    expect(listDir(scratch.dir)).toEqual([]);
  });
});
