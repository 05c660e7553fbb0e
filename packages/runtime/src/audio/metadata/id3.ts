import { ID3_DESCRIPTION } from './keys.js';

const utf8 = new TextEncoder();
const ENCODING_UTF8 = 3;
const FLAG_UNSYNCHRONISATION = 0x80;
const FLAG_EXTENDED_HEADER = 0x40;
const FLAG_FOOTER = 0x10;
// ID3v2.3 frame format flags: compression, encryption, grouping identity.
const V23_FORMAT_FLAGS = 0xe0;

interface Id3Tag {
  readonly version: number;
  /** Bytes from the start of the file to the first byte after the tag (footer included). */
  readonly end: number;
  readonly frames: readonly Id3Frame[];
}

interface Id3Frame {
  readonly id: string;
  /** Header flags as stored (their meaning differs between v2.3 and v2.4). */
  readonly flags: number;
  readonly data: Uint8Array;
}

/**
 * Puts an ID3v2.4 tag with a TXXX "sa3-workflow" frame at the start of an MP3. An existing
 * ID3v2.3/2.4 tag is replaced, keeping its other plain frames; the MPEG frames after it are copied
 * unchanged.
 */
export function embedInMp3(bytes: Uint8Array, json: string): Uint8Array {
  const existing = parseId3(bytes);
  const kept = (existing?.frames ?? []).filter((frame) => !isOurFrame(frame) && canCarryOver(frame, existing!.version));
  const frames = [...kept.map((f) => frameBytes(f.id, f.data)), frameBytes('TXXX', txxxData(json))];
  const body = frames.reduce((sum, f) => sum + f.length, 0);
  const audio = bytes.subarray(existing?.end ?? 0);
  const out = new Uint8Array(10 + body + audio.length);
  out.set([0x49, 0x44, 0x33, 4, 0, 0], 0);
  out.set(syncsafe(body), 6);
  let p = 10;
  for (const frame of frames) {
    out.set(frame, p);
    p += frame.length;
  }
  out.set(audio, p);
  return out;
}

export function readFromMp3(bytes: Uint8Array): string | null {
  const frame = parseId3(bytes)?.frames.find(isOurFrame);
  return frame ? parseTxxx(frame.data)?.value ?? null : null;
}

export function hasId3Tag(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33;
}

function parseId3(bytes: Uint8Array): Id3Tag | null {
  if (!hasId3Tag(bytes)) return null;
  const version = bytes[3]!;
  const flags = bytes[5]!;
  const size = readSyncsafe(bytes, 6);
  const end = 10 + size + (version >= 4 && flags & FLAG_FOOTER ? 10 : 0);
  if (end > bytes.length) throw new Error('the ID3v2 tag runs past the end of the file');
  // v2.2 frames (three-letter ids) and unsynchronised tags are not read; they are simply replaced.
  if ((version !== 3 && version !== 4) || flags & FLAG_UNSYNCHRONISATION) return { version, end, frames: [] };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 10;
  if (flags & FLAG_EXTENDED_HEADER) p += version === 4 ? readSyncsafe(bytes, 10) : 4 + view.getUint32(10, false);
  const frames: Id3Frame[] = [];
  const framesEnd = 10 + size;
  while (p + 10 <= framesEnd) {
    const id = String.fromCharCode(bytes[p]!, bytes[p + 1]!, bytes[p + 2]!, bytes[p + 3]!);
    if (!/^[A-Z0-9]{4}$/.test(id)) break; // padding
    const frameSize = version === 4 ? readSyncsafe(bytes, p + 4) : view.getUint32(p + 4, false);
    const dataStart = p + 10;
    if (dataStart + frameSize > framesEnd) break;
    frames.push({ id, flags: view.getUint16(p + 8, false), data: bytes.subarray(dataStart, dataStart + frameSize) });
    p = dataStart + frameSize;
  }
  return { version, end, frames };
}

function isOurFrame(frame: Id3Frame): boolean {
  return frame.id === 'TXXX' && frame.flags === 0 && parseTxxx(frame.data)?.description === ID3_DESCRIPTION;
}

/** Frames move into the new v2.4 tag with cleared flags, so only frames without format flags qualify. */
function canCarryOver(frame: Id3Frame, version: number): boolean {
  if (version === 4) return (frame.flags & 0x00ff) === 0;
  return (frame.flags & V23_FORMAT_FLAGS) === 0;
}

function parseTxxx(data: Uint8Array): { description: string; value: string } | null {
  const encoding = data[0];
  if (encoding === undefined || encoding > 3) return null;
  const wide = encoding === 1 || encoding === 2;
  const terminator = findTerminator(data, 1, wide);
  const valueStart = terminator + (wide ? 2 : 1);
  return { description: decodeText(data.subarray(1, terminator), encoding), value: decodeText(data.subarray(Math.min(valueStart, data.length)), encoding) };
}

function findTerminator(data: Uint8Array, from: number, wide: boolean): number {
  if (!wide) {
    const index = data.indexOf(0, from);
    return index < 0 ? data.length : index;
  }
  for (let i = from; i + 1 < data.length; i += 2) if (data[i] === 0 && data[i + 1] === 0) return i;
  return data.length;
}

function decodeText(bytes: Uint8Array, encoding: number): string {
  let text: string;
  if (encoding === 0) text = new TextDecoder('latin1').decode(bytes);
  else if (encoding === 1) text = new TextDecoder('utf-16le').decode(bytes[0] === 0xfe && bytes[1] === 0xff ? swapBytes(bytes) : bytes);
  else if (encoding === 2) text = new TextDecoder('utf-16le').decode(swapBytes(bytes));
  else text = new TextDecoder().decode(bytes);
  return text.replace(/^\uFEFF/, '').replace(/\0+$/, '');
}

function swapBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length & ~1);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

function txxxData(json: string): Uint8Array {
  const description = utf8.encode(ID3_DESCRIPTION);
  const value = utf8.encode(json);
  const out = new Uint8Array(1 + description.length + 1 + value.length);
  out[0] = ENCODING_UTF8;
  out.set(description, 1);
  out.set(value, 2 + description.length);
  return out;
}

function frameBytes(id: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(10 + data.length);
  out.set(utf8.encode(id), 0);
  out.set(syncsafe(data.length), 4);
  out.set(data, 10);
  return out;
}

/** A 28-bit size in four bytes of seven bits each, as ID3v2.4 stores tag and frame sizes. */
function syncsafe(value: number): Uint8Array {
  if (value > 0x0fffffff) throw new Error('cannot embed the workflow: it is too large for an ID3v2 tag (256 MiB)');
  return Uint8Array.of((value >>> 21) & 0x7f, (value >>> 14) & 0x7f, (value >>> 7) & 0x7f, value & 0x7f);
}

function readSyncsafe(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! & 0x7f) << 21) | ((bytes[offset + 1]! & 0x7f) << 14) | ((bytes[offset + 2]! & 0x7f) << 7) | (bytes[offset + 3]! & 0x7f);
}
