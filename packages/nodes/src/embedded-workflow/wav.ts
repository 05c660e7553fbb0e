import { dataViewOf } from './bytes.js';
import { WAV_SOFTWARE } from './keys.js';
import { type RiffChunk, fourCC, parseRiff, riffPadded } from './riff.js';

const utf8Decoder = new TextDecoder();

/** The ICMT text of a LIST/INFO chunk whose ISFT is "sa3-workflows". */
export function readWavWorkflow(bytes: Uint8Array): string | null {
  const layout = parseRiff(bytes);
  if (!layout) return null;
  for (const chunk of layout.chunks) {
    if (!isInfoList(bytes, chunk)) continue;
    const fields = infoFields(bytes, chunk);
    if (fields.get('ISFT') === WAV_SOFTWARE && fields.has('ICMT')) return fields.get('ICMT')!;
  }
  return null;
}

/** A LIST/INFO chunk that sa3 wrote (ISFT = sa3-workflows). */
export function isWorkflowInfoList(bytes: Uint8Array, chunk: RiffChunk): boolean {
  return isInfoList(bytes, chunk) && infoFields(bytes, chunk).get('ISFT') === WAV_SOFTWARE;
}

function isInfoList(bytes: Uint8Array, chunk: RiffChunk): boolean {
  return chunk.id === 'LIST' && chunk.size >= 4 && fourCC(bytes, chunk.dataOffset) === 'INFO';
}

/** The text fields of a LIST/INFO chunk, without their NUL terminators. */
function infoFields(bytes: Uint8Array, list: RiffChunk): Map<string, string> {
  const fields = new Map<string, string>();
  const view = dataViewOf(bytes);
  const end = Math.min(bytes.length, list.dataOffset + list.size);
  let p = list.dataOffset + 4;
  while (p + 8 <= end) {
    const id = fourCC(bytes, p);
    const size = view.getUint32(p + 4, true);
    const value = bytes.subarray(p + 8, Math.min(end, p + 8 + size));
    let length = value.length;
    while (length > 0 && value[length - 1] === 0) length--;
    fields.set(id, utf8Decoder.decode(value.subarray(0, length)));
    p += 8 + riffPadded(size);
  }
  return fields;
}
