import { describe, expect, it } from 'vitest';
import { detectContainer, readEmbeddedWorkflow } from '../src/index.js';

const utf8 = new TextEncoder();
const json = '{"format":"sa3-workflow","version":1,"nodes":[],"connections":[],"name":"ünïcode"}';

function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function be32(n: number): number[] {
  return le32(n).reverse();
}

function syncsafe(n: number): number[] {
  return [(n >>> 21) & 0x7f, (n >>> 14) & 0x7f, (n >>> 7) & 0x7f, n & 0x7f];
}

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0));
}

function chunk(id: string, body: Uint8Array | number[]): number[] {
  const pad = body.length & 1 ? [0] : [];
  return [...ascii(id), ...le32(body.length), ...body, ...pad];
}

function infoList(fields: Record<string, string>): number[] {
  return chunk('LIST', [...ascii('INFO'), ...Object.entries(fields).flatMap(([id, text]) => chunk(id, utf8.encode(text + '\0')))]);
}

function wav(...chunks: number[][]): Uint8Array {
  const fmt = [1, 0, 2, 0, ...le32(44100), ...le32(44100 * 4), 4, 0, 16, 0];
  const body = [...ascii('WAVE'), ...chunk('fmt ', fmt), ...chunk('data', new Array<number>(8).fill(0)), ...chunks.flat()];
  return new Uint8Array([...ascii('RIFF'), ...le32(body.length), ...body]);
}

function wavWith(text: string): Uint8Array {
  return wav(infoList({ ISFT: 'sa3-workflows', ICMT: text }));
}

const MPEG_FRAME = [0xff, 0xfb, 0x90, 0x00];

function id3Frame(id: string, data: number[], { version = 4, flags = 0 } = {}): number[] {
  return [...ascii(id), ...(version === 4 ? syncsafe(data.length) : be32(data.length)), (flags >>> 8) & 0xff, flags & 0xff, ...data];
}

function id3(frames: number[], { version = 4, flags = 0, extended = [] as number[] } = {}): Uint8Array {
  const body = [...extended, ...frames];
  return new Uint8Array([0x49, 0x44, 0x33, version, 0, flags, ...syncsafe(body.length), ...body, ...MPEG_FRAME]);
}

function txxx(encoding: number, description: number[], value: number[], terminator = [0]): number[] {
  return [encoding, ...description, ...terminator, ...value];
}

function mp3With(text: string): Uint8Array {
  return id3(id3Frame('TXXX', txxx(3, [...utf8.encode('sa3-workflow')], [...utf8.encode(text)])));
}

function vorbisComments(entries: string[]): number[] {
  const vendor = utf8.encode('sa3-workflows');
  return [...le32(vendor.length), ...vendor, ...le32(entries.length), ...entries.flatMap((e) => [...le32(utf8.encode(e).length), ...utf8.encode(e)])];
}

function flacBlock(type: number, data: number[], last = false): number[] {
  return [(last ? 0x80 : 0) | type, (data.length >>> 16) & 0xff, (data.length >>> 8) & 0xff, data.length & 0xff, ...data];
}

function flacWith(entries: string[]): Uint8Array {
  return new Uint8Array([...ascii('fLaC'), ...flacBlock(0, new Array<number>(34).fill(0)), ...flacBlock(4, vorbisComments(entries), true), 0xff, 0xf8]);
}

/** One Ogg page holding the given packets whole (each shorter than 255 bytes times 255). */
function oggPage(sequence: number, packets: number[][]): number[] {
  const lacing = packets.flatMap((p) => [...new Array<number>(Math.floor(p.length / 255)).fill(255), p.length % 255]);
  return [
    ...ascii('OggS'),
    0,
    sequence === 0 ? 2 : 0,
    ...new Array<number>(8).fill(0),
    ...le32(0x1234),
    ...le32(sequence),
    ...le32(0),
    lacing.length,
    ...lacing,
    ...packets.flat(),
  ];
}

function oggVorbisWith(entries: string[]): Uint8Array {
  const identification = [1, ...ascii('vorbis'), ...new Array<number>(23).fill(0)];
  const comment = [3, ...ascii('vorbis'), ...vorbisComments(entries), 1];
  const setup = [5, ...ascii('vorbis'), ...new Array<number>(40).fill(7)];
  return new Uint8Array([...oggPage(0, [identification]), ...oggPage(1, [comment, setup]), ...oggPage(2, [[9, 9, 9]])]);
}

function oggOpusWith(entries: string[]): Uint8Array {
  const head = [...ascii('OpusHead'), 1, 2, ...new Array<number>(9).fill(0)];
  const tags = [...ascii('OpusTags'), ...vorbisComments(entries)];
  return new Uint8Array([...oggPage(0, [head]), ...oggPage(1, [tags]), ...oggPage(2, [[9, 9]])]);
}

describe('reading the workflow embedded in saved audio', () => {
  it('recognises the containers by their first bytes', () => {
    expect(detectContainer(wavWith(json))).toBe('wav');
    expect(detectContainer(mp3With(json))).toBe('mp3');
    expect(detectContainer(new Uint8Array(MPEG_FRAME))).toBe('mp3');
    expect(detectContainer(flacWith([]))).toBe('flac');
    expect(detectContainer(oggVorbisWith([]))).toBe('ogg');
    expect(detectContainer(utf8.encode('not audio at all'))).toBeNull();
  });

  describe('WAV', () => {
    it('reads ICMT from the LIST/INFO chunk whose ISFT is sa3-workflows', () => expect(readEmbeddedWorkflow(wavWith(json))).toBe(json));

    it('passes over a foreign LIST/INFO chunk, odd sizes included', () => {
      const bytes = wav(infoList({ ISFT: 'Lavf60', ICMT: 'x' }), chunk('junk', [1, 2, 3]), infoList({ ISFT: 'sa3-workflows', ICMT: json }));
      expect(readEmbeddedWorkflow(bytes)).toBe(json);
      expect(readEmbeddedWorkflow(wav(infoList({ ISFT: 'Lavf60', ICMT: json })))).toBeNull();
    });

    it('answers null for a truncated file', () => expect(readEmbeddedWorkflow(wavWith(json).subarray(0, 30))).toBeNull());
  });

  describe('MP3', () => {
    it('reads the ID3v2.4 TXXX frame described "sa3-workflow", after other frames', () => {
      const other = id3Frame('TSSE', [3, ...ascii('Lavf')]);
      expect(readEmbeddedWorkflow(mp3With(json))).toBe(json);
      expect(readEmbeddedWorkflow(id3([...other, ...id3Frame('TXXX', txxx(3, ascii('sa3-workflow'), [...utf8.encode(json)]))]))).toBe(json);
    });

    it('reads ID3v2.3 with an extended header and plain 32-bit frame sizes', () => {
      const frame = id3Frame('TXXX', txxx(0, ascii('sa3-workflow'), ascii('{"a":"é"}'.replace('é', '\xe9'))), { version: 3 });
      expect(readEmbeddedWorkflow(id3(frame, { version: 3, flags: 0x40, extended: [...be32(6), 0, 0, 0, 0, 0, 0] }))).toBe('{"a":"é"}');
    });

    it('reads UTF-16 text with either byte order mark, and UTF-16BE', () => {
      const le = (text: string) => [0xff, 0xfe, ...Array.from(text).flatMap((c) => [c.charCodeAt(0), 0])];
      const be = (text: string) => Array.from(text).flatMap((c) => [0, c.charCodeAt(0)]);
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', txxx(1, le('sa3-workflow'), le(json), [0, 0]))))).toBe(json);
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', txxx(1, [0xfe, 0xff, ...be('sa3-workflow')], [0xfe, 0xff, ...be(json)], [0, 0]))))).toBe(json);
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', txxx(2, be('sa3-workflow'), be(json), [0, 0]))))).toBe(json);
    });

    it('ignores other descriptions, flagged frames, unknown encodings and unsynchronised tags', () => {
      const data = txxx(3, ascii('sa3-workflow'), [...utf8.encode(json)]);
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', txxx(3, ascii('comment'), [...utf8.encode(json)]))))).toBeNull();
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', data, { flags: 0x0001 })))).toBeNull();
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', [4, ...data.slice(1)])))).toBeNull();
      expect(readEmbeddedWorkflow(id3(id3Frame('TXXX', data), { flags: 0x80 }))).toBeNull();
    });

    it('answers null for a tag that runs past the end, and for MPEG frames without a tag', () => {
      expect(readEmbeddedWorkflow(mp3With(json).subarray(0, 40))).toBeNull();
      expect(readEmbeddedWorkflow(new Uint8Array(MPEG_FRAME))).toBeNull();
    });
  });

  describe('FLAC', () => {
    it('reads SA3_WORKFLOW from the VORBIS_COMMENT block, the name in any case', () => {
      expect(readEmbeddedWorkflow(flacWith(['ENCODER=Lavf', `SA3_WORKFLOW=${json}`]))).toBe(json);
      expect(readEmbeddedWorkflow(flacWith([`sa3_workflow=${json}`]))).toBe(json);
    });

    it('passes over an entry that has the name but no "="', () => {
      expect(readEmbeddedWorkflow(flacWith(['SA3_WORKFLOW', `SA3_WORKFLOW=${json}`]))).toBe(json);
      expect(readEmbeddedWorkflow(flacWith(['SA3_WORKFLOW']))).toBeNull();
    });

    it('answers null for damaged metadata', () => {
      const bytes = flacWith([`SA3_WORKFLOW=${json}`]);
      expect(readEmbeddedWorkflow(bytes.subarray(0, 60))).toBeNull();
      const noStreamInfo = new Uint8Array([...ascii('fLaC'), ...flacBlock(4, vorbisComments([`SA3_WORKFLOW=${json}`]), true)]);
      expect(readEmbeddedWorkflow(noStreamInfo)).toBeNull();
      const shortList = new Uint8Array([
        ...ascii('fLaC'),
        ...flacBlock(0, new Array<number>(34).fill(0)),
        ...flacBlock(4, [...le32(3), ...ascii('abc'), ...le32(2)], true),
      ]);
      expect(readEmbeddedWorkflow(shortList)).toBeNull();
    });
  });

  describe('Ogg', () => {
    it('reads SA3_WORKFLOW from the Vorbis comment header', () =>
      expect(readEmbeddedWorkflow(oggVorbisWith(['ENCODER=x', `SA3_WORKFLOW=${json}`]))).toBe(json));

    it('reads SA3_WORKFLOW from the OpusTags header', () => expect(readEmbeddedWorkflow(oggOpusWith([`SA3_WORKFLOW=${json}`]))).toBe(json));

    it('reads a comment packet that spans several lacing values', () => {
      const long = json.replace('ünïcode', 'x'.repeat(700));
      expect(readEmbeddedWorkflow(oggVorbisWith([`SA3_WORKFLOW=${long}`]))).toBe(long);
    });

    it('answers null without one, and for cut or foreign streams', () => {
      expect(readEmbeddedWorkflow(oggVorbisWith(['ENCODER=x']))).toBeNull();
      expect(readEmbeddedWorkflow(oggVorbisWith([`SA3_WORKFLOW=${json}`]).subarray(0, 80))).toBeNull();
      const speex = new Uint8Array([...oggPage(0, [[...ascii('Speex   '), 0]]), ...oggPage(1, [[...ascii('x')]])]);
      expect(readEmbeddedWorkflow(speex)).toBeNull();
    });
  });

  it('answers null for empty and unknown bytes', () => {
    expect(readEmbeddedWorkflow(new Uint8Array(0))).toBeNull();
    expect(readEmbeddedWorkflow(utf8.encode('not audio at all'))).toBeNull();
  });
});
