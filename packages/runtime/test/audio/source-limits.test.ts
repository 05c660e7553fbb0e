import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_DATA_URI_CHARS, NodeError } from '@sa3/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioIO, MAX_SOURCE_SECONDS } from '../../src/audio/index.js';
import { parseDataUri } from '../../src/audio/data-uri.js';
import { PlanarPcm } from '../../src/audio/planar-pcm.js';
import { ffmpeg, makeTempDir } from '../helpers/audio-files.js';

const temp = makeTempDir();
const scratch = makeTempDir('sa3-audio-scratch-');
const audio = createAudioIO({ baseDir: temp.dir, tempDir: scratch.dir });
const signal = new AbortController().signal;
const file = (name: string) => join(temp.dir, name);
const LIMIT = '1140 s (19 min) an audio source may last';

async function loadError(source: string): Promise<NodeError> {
  const error = await audio.load(source, signal).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

/** A copy of a FLAC file whose STREAMINFO claims `seconds` of audio, whatever its frames hold. */
function flacClaiming(path: string, seconds: number): Buffer {
  const flac = readFileSync(path);
  // STREAMINFO data starts at 8; its bits 80-143 are rate (20), channels (3), bits (5), total samples (36).
  const packed = flac.readBigUInt64BE(18);
  flac.writeBigUInt64BE(((packed >> 36n) << 36n) | BigInt(seconds * 44_100), 18);
  return flac;
}

/** Interleaved f32le bytes of frames where channel c of frame i holds i + c / 10. */
function interleaved(frames: number, channels: number): Buffer {
  const bytes = Buffer.alloc(frames * channels * 4);
  for (let i = 0; i < frames; i++) for (let c = 0; c < channels; c++) bytes.writeFloatLE(i + c / 10, (i * channels + c) * 4);
  return bytes;
}

beforeAll(() => {
  const silence = (seconds: number, name: string, extra: string[] = []) =>
    ffmpeg('-f', 'lavfi', '-i', `anullsrc=r=44100:cl=stereo`, '-t', String(seconds), ...extra, file(name));
  silence(MAX_SOURCE_SECONDS + 60, 'long.flac', ['-c:a', 'flac']);
  silence(3, 'three.flac', ['-c:a', 'flac']);
  writeFileSync(file('long-claims-1s.flac'), flacClaiming(file('long.flac'), 1));
  writeFileSync(file('three-claims-1s.flac'), flacClaiming(file('three.flac'), 1));
  // An MP3 without a Xing header: ffprobe can only estimate its length from the bitrate.
  silence(MAX_SOURCE_SECONDS + 60, 'long-no-header.mp3', ['-ac', '1', '-c:a', 'libmp3lame', '-b:a', '8k', '-write_xing', '0']);
});

afterAll(() => {
  temp.remove();
  scratch.remove();
});

describe('how long a source may decode to', () => {
  it('is three times the longest model input', () => {
    expect(MAX_SOURCE_SECONDS).toBe(3 * 380);
  });

  it('refuses a file whose header says it is longer, before decoding it', async () => {
    const error = await loadError('long.flac');
    expect(error.code).toBe('audio_too_long');
    expect(error.param).toBe('source');
    expect(error.message).toBe(`"long.flac" lasts 1200.0 s by its header, more than the ${LIMIT}; cut it shorter first`);
  });

  it('stops decoding a file whose header lies about its length once it passes the limit', async () => {
    const error = await loadError('long-claims-1s.flac');
    expect(error.code).toBe('audio_too_long');
    expect(error.message).toBe(`"long-claims-1s.flac" decodes to more than the ${LIMIT} (its header says 1.000 s); cut it shorter first`);
  });

  it('stops decoding a file whose header gives no length once it passes the limit', async () => {
    const error = await loadError('long-no-header.mp3');
    expect(error.message).toBe(`"long-no-header.mp3" decodes to more than the ${LIMIT} (its header gives no length); cut it shorter first`);
  });

  it('takes a file that holds more than its header says, when that is within the limit', async () => {
    const clip = await audio.load('three-claims-1s.flac', signal);
    expect(clip.channels.map((c) => c.length)).toEqual([3 * 44_100, 3 * 44_100]);
  });
});

describe('PlanarPcm', () => {
  it('splits a stream cut at any byte, frames and samples across chunks, into exact channels', () => {
    const bytes = interleaved(1000, 2);
    const pcm = new PlanarPcm(2, 10_000, 10);
    // Odd cuts: chunks start at unaligned offsets of their own buffers, and split samples.
    for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 61) {
      expect(pcm.append(Buffer.from(bytes.subarray(at, Math.min(bytes.length, at + size + 1))))).toBe(true);
      at += 1;
    }
    const channels = pcm.take();
    expect(channels.map((c) => c.length)).toEqual([1000, 1000]);
    expect(channels[0]![999]).toBe(999);
    expect(channels[1]![500]).toBeCloseTo(500.1, 3);
    expect(channels[0]!.every((v, i) => v === i)).toBe(true);
  });

  it('keeps exactly maxFrames and refuses the frame after it, keeping nothing more', () => {
    const pcm = new PlanarPcm(1, 100, undefined);
    expect(pcm.append(interleaved(100, 1))).toBe(true);
    expect(pcm.overflowed).toBe(false);
    expect(pcm.append(interleaved(1, 1))).toBe(false);
    expect(pcm.overflowed).toBe(true);
    expect(pcm.append(interleaved(1, 1))).toBe(false);
    expect(pcm.frames).toBe(100);
  });
});

describe('parseDataUri', () => {
  it('refuses a URI one character over the limit by its length, before reading it', () => {
    const uri = `data:audio/wav;base64,${'!'.repeat(MAX_DATA_URI_CHARS - 21)}`;
    expect(uri.length).toBe(MAX_DATA_URI_CHARS + 1);
    let error: unknown;
    try {
      parseDataUri(uri);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NodeError);
    expect((error as NodeError).code).toBe('data_uri_too_large');
    expect((error as NodeError).message).toBe(
      `the data: URI "data:audio/wav;base64,${'!'.repeat(59 - 22)}…" is 50,331,649 characters long, more than the 50,331,648 (48 MiB) a data: URI may have; give a file path or upload the audio instead`,
    );
  });

  it('decodes a URI exactly at the limit, line breaks and all', () => {
    const body = 'QUJD\n'.repeat((MAX_DATA_URI_CHARS - 22) / 5);
    const uri = `data:audio/wav;base64,${body}`.padEnd(MAX_DATA_URI_CHARS, ' ');
    expect(uri.length).toBe(MAX_DATA_URI_CHARS);
    const { bytes } = parseDataUri(uri);
    expect(bytes.length).toBe((((MAX_DATA_URI_CHARS - 22) / 5) | 0) * 3);
    expect(Buffer.from(bytes.subarray(0, 6)).toString('latin1')).toBe('ABCABC');
  });

  it('percent-decodes escapes and writes other characters as UTF-8', () => {
    expect(Array.from(parseDataUri('data:text/plain,a%20b%C3%A9é').bytes)).toEqual([0x61, 0x20, 0x62, 0xc3, 0xa9, 0xc3, 0xa9]);
    expect(() => parseDataUri('data:text/plain,50%')).toThrow(/a "%" that is not followed by two hex digits/);
    expect(() => parseDataUri('data:text/plain,%zz')).toThrow(/a "%" that is not followed by two hex digits/);
  });
});
