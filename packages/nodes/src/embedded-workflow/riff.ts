import { dataViewOf } from './bytes.js';

/** One chunk of a RIFF file; `size` is what its header declares, which may run past the end. */
export interface RiffChunk {
  readonly id: string;
  readonly headerOffset: number;
  readonly dataOffset: number;
  readonly size: number;
}

export interface RiffLayout {
  /** The form type after "RIFF", e.g. "WAVE". */
  readonly form: string;
  readonly chunks: readonly RiffChunk[];
  /** The last chunk declares more bytes than the buffer holds. */
  readonly overruns: boolean;
}

export function fourCC(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset] ?? 0, bytes[offset + 1] ?? 0, bytes[offset + 2] ?? 0, bytes[offset + 3] ?? 0);
}

/** Chunks are word-aligned: an odd-sized chunk is followed by one pad byte. */
export function riffPadded(size: number): number {
  return size + (size & 1);
}

export function isRiffWave(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourCC(bytes, 0) === 'RIFF' && fourCC(bytes, 8) === 'WAVE';
}

/** Lists the top-level chunks of a little-endian RIFF buffer, or null when it is not one. */
export function parseRiff(bytes: Uint8Array): RiffLayout | null {
  if (bytes.length < 12 || fourCC(bytes, 0) !== 'RIFF') return null;
  const view = dataViewOf(bytes);
  const chunks: RiffChunk[] = [];
  let offset = 12;
  let overruns = false;
  while (offset + 8 <= bytes.length) {
    const size = view.getUint32(offset + 4, true);
    const chunk = { id: fourCC(bytes, offset), headerOffset: offset, dataOffset: offset + 8, size };
    chunks.push(chunk);
    if (chunk.dataOffset + size > bytes.length) {
      overruns = true;
      break;
    }
    offset = chunk.dataOffset + riffPadded(size);
  }
  return { form: fourCC(bytes, 8), chunks, overruns };
}

export function findChunk(layout: RiffLayout, id: string): RiffChunk | undefined {
  return layout.chunks.find((chunk) => chunk.id === id);
}
