import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EncodeOptions, findChunk, parseRiff } from '@sa3/nodes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAudioIO, detectContainer, embedWorkflow, readEmbeddedWorkflow } from '../../src/audio/index.js';
import { ffprobeJson, lavfiSine, makeTempDir, sineClip } from '../helpers/audio-files.js';

const temp = makeTempDir();
const audio = createAudioIO({ baseDir: temp.dir, tempDir: temp.dir });
const signal = new AbortController().signal;
afterAll(() => temp.remove());

const workflow = JSON.stringify({
  version: 1,
  title: 'Ünïcødé — 日本語 🎵 "quotes" \\ backslash',
  nodes: [{ id: 'a', type: 'sa3.generate', params: { prompt: 'ambient pad, 90 bpm\nsecond line' } }],
});
// Large enough to need several Ogg pages and a multi-byte ID3 syncsafe size.
const bigWorkflow = JSON.stringify({ nodes: Array.from({ length: 3000 }, (_, i) => ({ id: `n${i}`, note: 'ж'.repeat(20) })) });

const formats: Record<string, EncodeOptions> = {
  wav: { format: 'wav', bitDepth: '16' },
  mp3: { format: 'mp3', bitrateKbps: 128 },
  flac: { format: 'flac', compressionLevel: 5 },
  ogg: { format: 'ogg', quality: 4 },
};
const encoded: Record<string, Uint8Array> = {};

beforeAll(async () => {
  for (const [ext, options] of Object.entries(formats)) encoded[ext] = (await audio.encode(sineClip(440, 1, 0.5), options, signal)).bytes;
});

function save(name: string, bytes: Uint8Array): string {
  const path = join(temp.dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** The bytes that carry audio: WAV data chunk, MPEG frames after the ID3 tag, FLAC frames after the metadata. */
function audioBytes(ext: string, bytes: Uint8Array): Uint8Array {
  if (ext === 'wav') {
    const data = findChunk(parseRiff(bytes)!, 'data')!;
    return bytes.subarray(data.dataOffset, data.dataOffset + data.size);
  }
  if (ext === 'mp3') {
    if (bytes[0] !== 0x49) return bytes;
    const size = ((bytes[6]! & 0x7f) << 21) | ((bytes[7]! & 0x7f) << 14) | ((bytes[8]! & 0x7f) << 7) | (bytes[9]! & 0x7f);
    return bytes.subarray(10 + size);
  }
  const blocks = flacBlocks(bytes);
  return bytes.subarray(blocks[blocks.length - 1]!.end);
}

function flacBlocks(bytes: Uint8Array): { type: number; last: boolean; end: number }[] {
  const blocks = [];
  let p = 4;
  for (;;) {
    const size = (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
    const block = { type: bytes[p]! & 0x7f, last: (bytes[p]! & 0x80) !== 0, end: p + 4 + size };
    blocks.push(block);
    p = block.end;
    if (block.last) return blocks;
  }
}

function count(haystack: Uint8Array, needle: string): number {
  let n = 0;
  for (let i = Buffer.from(haystack).indexOf(needle); i >= 0; i = Buffer.from(haystack).indexOf(needle, i + 1)) n++;
  return n;
}

describe('embedded workflow', () => {
  it.each(['wav', 'mp3', 'flac', 'ogg'])('round-trips unicode JSON in %s, and ffmpeg decodes the same audio', async (ext) => {
    const original = encoded[ext]!;
    expect(detectContainer(original)).toBe(ext);
    expect(readEmbeddedWorkflow(original)).toBeNull();
    for (const json of [workflow, bigWorkflow]) {
      const embedded = embedWorkflow(original, ext, json);
      expect(readEmbeddedWorkflow(embedded)).toBe(json);
      const before = await audio.load(save(`before.${ext}`, original), signal);
      const after = await audio.load(save(`after.${ext}`, embedded), signal);
      // ffmpeg 5.1 drops the last 128 frames of some short libvorbis files (before embedding too).
      expect(after.channels[0]!.length).toBe(ext === 'ogg' ? before.channels[0]!.length : 44_100);
      expect(Buffer.from(after.channels[0]!.buffer).equals(Buffer.from(before.channels[0]!.buffer))).toBe(true);
      expect(Buffer.from(after.channels[1]!.buffer).equals(Buffer.from(before.channels[1]!.buffer))).toBe(true);
      if (ext !== 'ogg') expect(Buffer.from(audioBytes(ext, embedded)).equals(Buffer.from(audioBytes(ext, original)))).toBe(true);
    }
  });

  it.each(['wav', 'mp3', 'flac', 'ogg'])('replaces an earlier workflow in %s instead of adding another', (ext) => {
    const once = embedWorkflow(encoded[ext]!, ext, workflow);
    const twice = embedWorkflow(embedWorkflow(encoded[ext]!, ext, '{"old":true}'), ext, workflow);
    expect(readEmbeddedWorkflow(twice)).toBe(workflow);
    expect(Buffer.from(twice).equals(Buffer.from(once))).toBe(true);
    expect(count(twice, 'old')).toBe(0);
  });

  it('writes a LIST/INFO chunk with ISFT and a NUL-terminated ICMT after the data, fixing the RIFF size', () => {
    const embedded = embedWorkflow(encoded.wav!, 'wav', workflow);
    const layout = parseRiff(embedded)!;
    expect(layout.chunks.map((c) => c.id)).toEqual(['fmt ', 'data', 'LIST']);
    expect(layout.overruns).toBe(false);
    expect(new DataView(embedded.buffer).getUint32(4, true)).toBe(embedded.length - 8);
    const list = layout.chunks[2]!;
    expect(list.size % 2).toBe(0);
    const text = Buffer.from(embedded.subarray(list.dataOffset, list.dataOffset + list.size));
    expect(text.subarray(0, 8).toString('latin1')).toBe('INFOISFT');
    expect(text.includes(Buffer.from('sa3-workflows\0'))).toBe(true);
    expect(text.includes(Buffer.concat([Buffer.from(workflow), Buffer.from([0])]))).toBe(true);
    const probed = ffprobeJson(save('probe.wav', embedded)).format.tags as Record<string, string>;
    expect(probed.comment).toBe(workflow);
    expect(probed.encoder).toBe('sa3-workflows');
  });

  it('keeps a foreign LIST/INFO chunk (ffmpeg writes one) next to ours', async () => {
    lavfiSine(join(temp.dir, 'ffmpeg.wav'), { seconds: 0.5 });
    const original = new Uint8Array(readFileSync(join(temp.dir, 'ffmpeg.wav')));
    const embedded = embedWorkflow(original, 'wav', workflow);
    expect(parseRiff(embedded)!.chunks.map((c) => c.id)).toEqual(['fmt ', 'LIST', 'data', 'LIST']);
    expect(count(embedded, 'Lavf')).toBe(1);
    expect(readEmbeddedWorkflow(embedded)).toBe(workflow);
    expect((await audio.load(save('ffmpeg-embedded.wav', embedded), signal)).channels[0]!.length).toBe(22_050);
  });

  it('writes an ID3v2.4 TXXX frame (UTF-8, syncsafe sizes) and keeps the other frames of the tag it replaces', () => {
    const original = encoded.mp3!;
    expect(count(original, 'TSSE')).toBe(1);
    const embedded = embedWorkflow(original, 'mp3', workflow);
    expect(Array.from(embedded.subarray(0, 6))).toEqual([0x49, 0x44, 0x33, 4, 0, 0]);
    for (let i = 6; i < 10; i++) expect(embedded[i]! & 0x80).toBe(0);
    expect(count(embedded, 'TSSE')).toBe(1);
    const frame = Buffer.from(embedded).indexOf('TXXX');
    expect(embedded[frame + 10]).toBe(3);
    expect(Buffer.from(embedded.subarray(frame + 11, frame + 24)).toString()).toBe('sa3-workflow\0');
    const tags = ffprobeJson(save('probe.mp3', embedded)).format.tags as Record<string, string>;
    expect(tags['sa3-workflow']).toBe(workflow);
    expect(ffprobeJson(save('probe.mp3', embedded)).streams[0]!.duration).toBe(ffprobeJson(save('plain.mp3', original)).streams[0]!.duration);
  });

  it('adds an ID3 tag to an MP3 that has none', () => {
    const bare = audioBytes('mp3', encoded.mp3!);
    expect(bare[0]).toBe(0xff);
    expect(readEmbeddedWorkflow(bare)).toBeNull();
    const embedded = embedWorkflow(bare, 'mp3', workflow);
    expect(readEmbeddedWorkflow(embedded)).toBe(workflow);
    expect(Buffer.from(audioBytes('mp3', embedded)).equals(Buffer.from(bare))).toBe(true);
  });

  it('sets SA3_WORKFLOW in the FLAC VORBIS_COMMENT block and keeps exactly one last-block flag', () => {
    const embedded = embedWorkflow(encoded.flac!, 'flac', workflow);
    const blocks = flacBlocks(embedded);
    expect(blocks[0]!.type).toBe(0);
    expect(blocks.filter((b) => b.type === 4)).toHaveLength(1);
    expect(blocks.map((b) => b.last)).toEqual(blocks.map((_, i) => i === blocks.length - 1));
    const tags = ffprobeJson(save('probe.flac', embedded)).format.tags as Record<string, string>;
    expect(tags.SA3_WORKFLOW).toBe(workflow);
    expect(tags.encoder).toMatch(/^Lavf/);
  });

  it('sets SA3_WORKFLOW in the Ogg Vorbis comment header, readable by ffprobe', () => {
    const embedded = embedWorkflow(encoded.ogg!, 'ogg', bigWorkflow);
    const stream = ffprobeJson(save('probe.ogg', embedded)).streams[0]! as { tags?: Record<string, string> };
    expect(stream.tags?.SA3_WORKFLOW).toBe(bigWorkflow);
  });

  it('returns null for files without a workflow or of unknown type, and leaves unknown extensions alone', () => {
    expect(readEmbeddedWorkflow(new Uint8Array(0))).toBeNull();
    expect(readEmbeddedWorkflow(Buffer.from('not audio at all'))).toBeNull();
    expect(readEmbeddedWorkflow(Buffer.from('RIFF\xff\xff\xff\xffWAVEjunk', 'latin1'))).toBeNull();
    const bytes = Uint8Array.of(1, 2, 3);
    expect(embedWorkflow(bytes, 'aiff', workflow)).toBe(bytes);
  });
});
