import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeError } from '@sa3/nodes';
import { afterAll, describe, expect, it } from 'vitest';
import { createAudioIO } from '../../src/audio/index.js';
import { createFfmpegCommand, firstErrorLine, locateFfmpeg, runFfmpeg } from '../../src/audio/ffmpeg.js';
import { lavfiSine, makeTempDir, sineClip } from '../helpers/audio-files.js';

const temp = makeTempDir();
afterAll(() => temp.remove());

describe('locateFfmpeg', () => {
  it('finds ffmpeg and ffprobe on the PATH', async () => {
    const tools = await locateFfmpeg({ PATH: '/nonexistent:/usr/bin' });
    expect(tools).toEqual({ ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' });
  });

  it('prefers SA3_FFMPEG and SA3_FFPROBE', async () => {
    const fake = join(temp.dir, 'my-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    const tools = await locateFfmpeg({ PATH: '/usr/bin', SA3_FFMPEG: fake, SA3_FFPROBE: '/usr/bin/ffprobe' });
    expect(tools).toEqual({ ffmpeg: fake, ffprobe: '/usr/bin/ffprobe' });
  });

  it('reports a missing ffmpeg with ffmpeg_missing and how to install it', async () => {
    const error = await locateFfmpeg({ PATH: temp.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ code: 'ffmpeg_missing', kind: 'run' });
    expect((error as Error).message).toMatch(/^ffmpeg was not found on the PATH: install ffmpeg \(for example `apt-get install ffmpeg`/);
  });

  it('reports an override that points nowhere', async () => {
    const error = await locateFfmpeg({ PATH: '/usr/bin', SA3_FFPROBE: '/nope/ffprobe' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ffmpeg_missing' });
    expect((error as Error).message).toContain('SA3_FFPROBE points at "/nope/ffprobe"');
  });

  it('makes load and encode fail with ffmpeg_missing when ffmpeg is absent', async () => {
    const saved = process.env.SA3_FFMPEG;
    process.env.SA3_FFMPEG = join(temp.dir, 'missing-ffmpeg');
    try {
      lavfiSine(join(temp.dir, 'tone.wav'));
      const io = createAudioIO({ baseDir: temp.dir });
      const signal = new AbortController().signal;
      await expect(io.load('tone.wav', signal)).rejects.toMatchObject({ code: 'ffmpeg_missing' });
      await expect(io.encode(sineClip(440, 0.1), { format: 'mp3', bitrateKbps: 128 }, signal)).rejects.toMatchObject({ code: 'ffmpeg_missing' });
      // WAV needs no ffmpeg.
      expect((await io.encode(sineClip(440, 0.1), { format: 'wav', bitDepth: '16' }, signal)).mime).toBe('audio/wav');
    } finally {
      if (saved === undefined) delete process.env.SA3_FFMPEG;
      else process.env.SA3_FFMPEG = saved;
    }
  });
});

describe('runFfmpeg', () => {
  it('rejects at once with an AbortError when already aborted', async () => {
    const tools = await locateFfmpeg();
    const controller = new AbortController();
    controller.abort();
    const command = createFfmpegCommand(tools).input('anullsrc').inputOptions(['-f', 'lavfi']).outputOptions(['-f', 'null']).output('-');
    await expect(runFfmpeg(command, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it("reports a failing command with ffmpeg's error lines", async () => {
    const tools = await locateFfmpeg();
    const command = createFfmpegCommand(tools)
      .input(join(temp.dir, 'nothing-here.wav'))
      .inputOptions(['-v', 'error'])
      .outputOptions(['-f', 'null'])
      .output('-');
    const error = await runFfmpeg(command, new AbortController().signal).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'FfmpegFailure', exited: true });
    expect(firstErrorLine((error as { stderrLines: string[] }).stderrLines, join(temp.dir, 'nothing-here.wav'))).toBe('No such file or directory');
  });
});

describe('firstErrorLine', () => {
  it('drops the demuxer prefix, the input path and informational lines', () => {
    expect(
      firstErrorLine(['Guessed Channel Layout for Input Stream #0.0 : mono', '[mp3 @ 0x55d0c0ffee00] Failed to read frame size: Could not seek to 6023.']),
    ).toBe('Failed to read frame size: Could not seek to 6023.');
    expect(firstErrorLine(['/tmp/x.wav: Invalid data found when processing input'], '/tmp/x.wav')).toBe('Invalid data found when processing input');
    expect(firstErrorLine([])).toBeUndefined();
  });
});
