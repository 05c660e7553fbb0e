import { isWorkflowInfoList, parseRiff, riffPadded, WAV_SOFTWARE } from '@sa3/nodes';

const utf8 = new TextEncoder();

/**
 * Appends a LIST/INFO chunk (ISFT = sa3-workflows, ICMT = the JSON) after the existing chunks and
 * fixes the RIFF size. A LIST/INFO chunk we wrote earlier is dropped; every other chunk, the data
 * chunk included, is copied byte for byte.
 */
export function embedInWav(bytes: Uint8Array, json: string): Uint8Array {
  const layout = parseRiff(bytes);
  if (!layout || layout.form !== 'WAVE') throw new Error('cannot embed the workflow: not a RIFF/WAVE file');
  if (layout.overruns) throw new Error('cannot embed the workflow: the WAV file ends inside a chunk');
  const kept = layout.chunks.filter((chunk) => !isWorkflowInfoList(bytes, chunk));
  const list = infoList(json);
  const keptSize = kept.reduce((sum, chunk) => sum + 8 + riffPadded(chunk.size), 0);
  if (4 + keptSize + list.length > 0xffffffff) throw new Error('cannot embed the workflow: the WAV file would exceed 4 GiB');
  const out = new Uint8Array(12 + keptSize + list.length);
  out.set(bytes.subarray(0, 12));
  let p = 12;
  for (const chunk of kept) {
    // The last chunk's pad byte may be missing from the input; the output buffer is zeroed.
    out.set(bytes.subarray(chunk.headerOffset, Math.min(bytes.length, chunk.dataOffset + riffPadded(chunk.size))), p);
    p += 8 + riffPadded(chunk.size);
  }
  out.set(list, p);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
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
  const out = new Uint8Array(8 + riffPadded(size));
  out.set(utf8.encode(id), 0);
  new DataView(out.buffer).setUint32(4, size, true);
  out.set(value, 8);
  return out;
}
