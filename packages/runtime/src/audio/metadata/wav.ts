import { type RiffChunk, fourCC, parseRiff } from '../riff.js';
import { WAV_SOFTWARE } from './keys.js';

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Appends a LIST/INFO chunk (ISFT = sa3-workflows, ICMT = the JSON) after the existing chunks and
 * fixes the RIFF size. A LIST/INFO chunk we wrote earlier is dropped; every other chunk, the data
 * chunk included, is copied byte for byte.
 */
export function embedInWav(bytes: Uint8Array, json: string): Uint8Array {
  const layout = parseRiff(bytes);
  if (!layout || layout.form !== 'WAVE') throw new Error('cannot embed the workflow: not a RIFF/WAVE file');
  if (layout.overruns) throw new Error('cannot embed the workflow: the WAV file ends inside a chunk');
  const kept = layout.chunks.filter((chunk) => !isOurInfoList(bytes, chunk));
  const list = infoList(json);
  const keptSize = kept.reduce((sum, chunk) => sum + 8 + padded(chunk.size), 0);
  if (4 + keptSize + list.length > 0xffffffff) throw new Error('cannot embed the workflow: the WAV file would exceed 4 GiB');
  const out = new Uint8Array(12 + keptSize + list.length);
  out.set(bytes.subarray(0, 12));
  let p = 12;
  for (const chunk of kept) {
    // The last chunk's pad byte may be missing from the input; the output buffer is zeroed.
    out.set(bytes.subarray(chunk.headerOffset, Math.min(bytes.length, chunk.dataOffset + padded(chunk.size))), p);
    p += 8 + padded(chunk.size);
  }
  out.set(list, p);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

export function readFromWav(bytes: Uint8Array): string | null {
  const layout = parseRiff(bytes);
  if (!layout) return null;
  for (const chunk of layout.chunks) {
    if (!isInfoList(bytes, chunk)) continue;
    const fields = infoFields(bytes, chunk);
    if (fields.get('ISFT') === WAV_SOFTWARE && fields.has('ICMT')) return fields.get('ICMT')!;
  }
  return null;
}

function padded(size: number): number {
  return size + (size & 1);
}

function isInfoList(bytes: Uint8Array, chunk: RiffChunk): boolean {
  return chunk.id === 'LIST' && chunk.size >= 4 && fourCC(bytes, chunk.dataOffset) === 'INFO';
}

function isOurInfoList(bytes: Uint8Array, chunk: RiffChunk): boolean {
  return isInfoList(bytes, chunk) && infoFields(bytes, chunk).get('ISFT') === WAV_SOFTWARE;
}

/** The text fields of a LIST/INFO chunk, without their NUL terminators. */
function infoFields(bytes: Uint8Array, list: RiffChunk): Map<string, string> {
  const fields = new Map<string, string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = Math.min(bytes.length, list.dataOffset + list.size);
  let p = list.dataOffset + 4;
  while (p + 8 <= end) {
    const id = fourCC(bytes, p);
    const size = view.getUint32(p + 4, true);
    const value = bytes.subarray(p + 8, Math.min(end, p + 8 + size));
    let length = value.length;
    while (length > 0 && value[length - 1] === 0) length--;
    fields.set(id, utf8Decoder.decode(value.subarray(0, length)));
    p += 8 + padded(size);
  }
  return fields;
}

function infoList(json: string): Uint8Array {
  const fields = [subchunk('ISFT', WAV_SOFTWARE), subchunk('ICMT', json)];
  const body = 4 + fields.reduce((sum, f) => sum + f.length, 0);
  const out = new Uint8Array(8 + body);
  const view = new DataView(out.buffer);
  out.set(utf8.encode('LIST'), 0);
  view.setUint32(4, body, true);
  out.set(utf8.encode('INFO'), 8);
  let p = 12;
  for (const field of fields) {
    out.set(field, p);
    p += field.length;
  }
  return out;
}

/** An INFO sub-chunk: UTF-8 text with a NUL terminator, padded to an even size. */
function subchunk(id: string, text: string): Uint8Array {
  const value = utf8.encode(text);
  const size = value.length + 1;
  const out = new Uint8Array(8 + padded(size));
  out.set(utf8.encode(id), 0);
  new DataView(out.buffer).setUint32(4, size, true);
  out.set(value, 8);
  return out;
}
