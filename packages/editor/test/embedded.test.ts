import { describe, expect, it } from 'vitest';
import { readEmbeddedWorkflow } from '../src/embedded/index.js';

const utf8 = new TextEncoder();
const json = '{"format":"sa3-workflow","version":1,"nodes":[],"connections":[],"name":"ünïcode"}';

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function chunk(id: string, body: Uint8Array): number[] {
  const pad = body.length & 1 ? [0] : [];
  return [...utf8.encode(id), ...le32(body.length), ...body, ...pad];
}

function wavWith(text: string): Uint8Array {
  const info = new Uint8Array([...utf8.encode('INFO'), ...chunk('ISFT', utf8.encode('sa3-workflows\0')), ...chunk('ICMT', utf8.encode(text + '\0'))]);
  const fmt = new Uint8Array([1, 0, 2, 0, ...le32(44100), ...le32(44100 * 4), 4, 0, 16, 0]);
  const body = [...utf8.encode('WAVE'), ...chunk('fmt ', fmt), ...chunk('data', new Uint8Array(8)), ...chunk('LIST', info)];
  return new Uint8Array([...utf8.encode('RIFF'), ...le32(body.length), ...body]);
}

function syncsafe(n: number): number[] {
  return [(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f];
}

function mp3With(text: string): Uint8Array {
  const data = [3, ...utf8.encode('sa3-workflow'), 0, ...utf8.encode(text)];
  const frame = [...utf8.encode('TXXX'), ...syncsafe(data.length), 0, 0, ...data];
  return new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, ...syncsafe(frame.length), ...frame, 0xff, 0xfb, 0x90, 0x00]);
}

function flacWith(text: string): Uint8Array {
  const vendor = utf8.encode('sa3-workflows');
  const entry = utf8.encode(`SA3_WORKFLOW=${text}`);
  const comments = [...le32(vendor.length), ...vendor, ...le32(1), ...le32(entry.length), ...entry];
  const streamInfo = new Array(34).fill(0);
  const header = (type: number, size: number) => [type, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff];
  return new Uint8Array([...utf8.encode('fLaC'), ...header(0, 34), ...streamInfo, ...header(0x80 | 4, comments.length), ...comments, 0xff, 0xf8]);
}

describe('reading the workflow embedded in saved audio', () => {
  it('reads WAV LIST/INFO ICMT', () => expect(readEmbeddedWorkflow(wavWith(json))).toBe(json));
  it('reads MP3 ID3v2.4 TXXX "sa3-workflow"', () => expect(readEmbeddedWorkflow(mp3With(json))).toBe(json));
  it('reads FLAC VORBIS_COMMENT SA3_WORKFLOW', () => expect(readEmbeddedWorkflow(flacWith(json))).toBe(json));
  it('answers null for audio without one, and for damaged files', () => {
    expect(readEmbeddedWorkflow(new Uint8Array([0xff, 0xfb, 0x90, 0]))).toBeNull();
    expect(readEmbeddedWorkflow(wavWith(json).subarray(0, 30))).toBeNull();
  });
});
