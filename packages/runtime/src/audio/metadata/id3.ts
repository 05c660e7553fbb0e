import { ID3_DESCRIPTION, type Id3Frame, parseId3Tag, parseTxxx } from '@sa3/nodes';

const utf8 = new TextEncoder();
const ENCODING_UTF8 = 3;
// ID3v2.3 frame format flags: compression, encryption, grouping identity.
const V23_FORMAT_FLAGS = 0xe0;

/**
 * Puts an ID3v2.4 tag with a TXXX "sa3-workflow" frame at the start of an MP3. An existing
 * ID3v2.3/2.4 tag is replaced, keeping its other plain frames; the MPEG frames after it are copied
 * unchanged.
 */
export function embedInMp3(bytes: Uint8Array, json: string): Uint8Array {
  return setMp3UserText(bytes, [[ID3_DESCRIPTION, json]]);
}

/**
 * Sets TXXX (user text) frames, one per [description, value], in an ID3v2.4 tag at the start of
 * the MP3: TXXX frames with the same descriptions (compared without case) are replaced, the tag's
 * other plain frames kept, and the MPEG frames after it copied unchanged.
 */
export function setMp3UserText(bytes: Uint8Array, entries: readonly (readonly [string, string])[]): Uint8Array {
  const existing = parseId3Tag(bytes);
  const replaced = new Set(entries.map(([description]) => description.toUpperCase()));
  const kept = (existing?.frames ?? []).filter((frame) => !isReplaced(frame, replaced) && canCarryOver(frame, existing!.version));
  const frames = [...kept.map((f) => frameBytes(f.id, f.data)), ...entries.map(([description, value]) => frameBytes('TXXX', txxxData(description, value)))];
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

function isReplaced(frame: Id3Frame, descriptions: ReadonlySet<string>): boolean {
  if (frame.id !== 'TXXX') return false;
  const description = parseTxxx(frame.data)?.description;
  return description !== undefined && descriptions.has(description.toUpperCase());
}

/** Frames move into the new v2.4 tag with cleared flags, so only frames without format flags qualify. */
function canCarryOver(frame: Id3Frame, version: number): boolean {
  if (version === 4) return (frame.flags & 0x00ff) === 0;
  return (frame.flags & V23_FORMAT_FLAGS) === 0;
}

function txxxData(text: string, content: string): Uint8Array {
  const description = utf8.encode(text);
  const value = utf8.encode(content);
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
  if (value > 0x0fffffff) throw new Error('cannot write the ID3v2 tag: it would exceed 256 MiB');
  return Uint8Array.of((value >>> 21) & 0x7f, (value >>> 14) & 0x7f, (value >>> 7) & 0x7f, value & 0x7f);
}
