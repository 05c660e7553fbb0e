import { open } from 'node:fs/promises';
import { findChunk, parseRiff } from '@sa3/nodes';

/** What a WAV file's header promises about its data chunk, and what the file really holds. */
export interface WavDataPromise {
  readonly declaredBytes: number;
  readonly availableBytes: number;
  readonly blockAlign: number;
  readonly sampleRate: number;
}

// The chunks before "data" (fmt, LIST, bext, JUNK...) are small; this covers any sane header.
const HEADER_WINDOW = 1024 * 1024;
// Streamed WAVs (ffmpeg writing to a pipe) leave these placeholder sizes in the data chunk header.
const UNKNOWN_SIZES = new Set([0, 0xffffffff]);

/** Reads the header of a RIFF/WAVE file on disk; null when it is not one or the size is unknown. */
export async function readWavDataPromise(path: string): Promise<WavDataPromise | null> {
  const file = await open(path, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const head = new Uint8Array(Math.min(HEADER_WINDOW, fileSize));
    await file.read(head, 0, head.length, 0);
    const layout = parseRiff(head);
    if (!layout || layout.form !== 'WAVE') return null;
    const fmt = findChunk(layout, 'fmt ');
    const data = findChunk(layout, 'data');
    if (!fmt || !data || fmt.dataOffset + 16 > head.length || UNKNOWN_SIZES.has(data.size)) return null;
    const view = new DataView(head.buffer);
    const sampleRate = view.getUint32(fmt.dataOffset + 4, true);
    const blockAlign = view.getUint16(fmt.dataOffset + 12, true);
    if (sampleRate === 0 || blockAlign === 0) return null;
    return { declaredBytes: data.size, availableBytes: Math.max(0, fileSize - data.dataOffset), blockAlign, sampleRate };
  } finally {
    await file.close();
  }
}
