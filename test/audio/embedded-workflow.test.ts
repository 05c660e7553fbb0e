import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectContainer, readEmbeddedWorkflow, type EncodeOptions } from '@sa3/nodes';
import { createAudioIO, embedWorkflow } from '@sa3/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { ffmpeg, lavfiSine, makeTempDir, sineClip } from '../../packages/runtime/test/helpers/audio-files.js';

const temp = makeTempDir('sa3-embedded-');
afterAll(() => temp.remove());
const audio = createAudioIO({ baseDir: temp.dir, tempDir: temp.dir });
const signal = new AbortController().signal;

const workflow = JSON.stringify({ format: 'sa3-workflow', version: 1, name: 'Ünïcødé — 日本語 🎵', nodes: [], connections: [] });
// 200 kB of text: several Ogg pages and a four-byte ID3 syncsafe size.
const bigWorkflow = JSON.stringify({ format: 'sa3-workflow', version: 1, nodes: [], connections: [], meta: { notes: 'ж'.repeat(100_000) } });

const encodings: readonly EncodeOptions[] = [
  { format: 'wav', bitDepth: '24' },
  { format: 'mp3', bitrateKbps: 192 },
  { format: 'flac', compressionLevel: 8 },
  { format: 'ogg', quality: 6 },
];

describe('the isomorphic reader in @sa3/nodes reads what the runtime writes', () => {
  it.each(encodings.map((options) => [options.format, options] as const))('%s', async (ext, options) => {
    const encoded = (await audio.encode(sineClip(440, 0.5), options, signal)).bytes;
    expect(readEmbeddedWorkflow(encoded)).toBeNull();
    for (const json of [workflow, bigWorkflow]) {
      const embedded = embedWorkflow(encoded, ext, json);
      expect(detectContainer(embedded)).toBe(ext);
      expect(readEmbeddedWorkflow(embedded)).toBe(json);
    }
  });

  it('Ogg Opus', () => {
    const path = join(temp.dir, 'tone.opus');
    lavfiSine(path, { seconds: 0.5, rate: 48_000, extra: ['-c:a', 'libopus'] });
    const embedded = embedWorkflow(new Uint8Array(readFileSync(path)), 'opus', bigWorkflow);
    expect(readEmbeddedWorkflow(embedded)).toBe(bigWorkflow);
  });
});

describe('the reader takes the same tags from files ffmpeg tagged', () => {
  it.each([
    ['mp3 (ID3v2.4)', 'tagged.mp3', ['-id3v2_version', '4', '-metadata', `sa3-workflow=${workflow}`]],
    ['mp3 (ID3v2.3, UTF-16 text)', 'tagged-v23.mp3', ['-id3v2_version', '3', '-metadata', `sa3-workflow=${workflow}`]],
    ['flac', 'tagged.flac', ['-metadata', `SA3_WORKFLOW=${workflow}`]],
    ['ogg', 'tagged.ogg', ['-c:a', 'libvorbis', '-metadata', `SA3_WORKFLOW=${workflow}`]],
  ])('%s', (_, name, args) => {
    const source = join(temp.dir, 'source.wav');
    lavfiSine(source, { seconds: 0.3 });
    const path = join(temp.dir, name);
    ffmpeg('-i', source, ...args, path);
    expect(readEmbeddedWorkflow(new Uint8Array(readFileSync(path)))).toBe(workflow);
  });
});
