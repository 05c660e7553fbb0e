import { type LoudnessMeasurement, parseRiff, riffPadded, WAV_SOFTWARE } from '@sa3/nodes';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Sizes and offsets of the Broadcast Audio Extension chunk, version 2 (EBU Tech 3285). */
export const BEXT = {
  size: 602,
  originator: 256,
  version: 346,
  loudnessValue: 412,
  loudnessRange: 414,
  maxTruePeakLevel: 416,
  maxMomentaryLoudness: 418,
  maxShortTermLoudness: 420,
  /** What a loudness field holds when that value was not measured. */
  unset: 0x7fff,
} as const;

/**
 * Puts a `bext` chunk version 2 before the data chunk, its loudness fields in hundredths (LUFS,
 * LU, dBTP) as EBU Tech 3285 defines them; an existing bext chunk is replaced. Every other chunk is
 * copied byte for byte.
 */
export function embedBext(bytes: Uint8Array, loudness: LoudnessMeasurement): Uint8Array {
  const layout = parseRiff(bytes);
  if (!layout || layout.form !== 'WAVE') throw new Error('cannot write the loudness: not a RIFF/WAVE file');
  if (layout.overruns) throw new Error('cannot write the loudness: the WAV file ends inside a chunk');
  const kept = layout.chunks.filter((chunk) => chunk.id !== 'bext');
  const dataIndex = kept.findIndex((chunk) => chunk.id === 'data');
  const insertAt = dataIndex < 0 ? kept.length : dataIndex;
  const bext = bextChunk(loudness);
  const keptSize = kept.reduce((sum, chunk) => sum + 8 + riffPadded(chunk.size), 0);
  if (4 + keptSize + bext.length > 0xffffffff) throw new Error('cannot write the loudness: the WAV file would exceed 4 GiB');
  const out = new Uint8Array(12 + keptSize + bext.length);
  out.set(bytes.subarray(0, 12));
  let p = 12;
  kept.forEach((chunk, i) => {
    if (i === insertAt) {
      out.set(bext, p);
      p += bext.length;
    }
    // The last chunk's pad byte may be missing from the input; the output buffer is zeroed.
    out.set(bytes.subarray(chunk.headerOffset, Math.min(bytes.length, chunk.dataOffset + riffPadded(chunk.size))), p);
    p += 8 + riffPadded(chunk.size);
  });
  if (insertAt === kept.length) out.set(bext, p);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}

function bextChunk(loudness: LoudnessMeasurement): Uint8Array {
  const out = new Uint8Array(8 + BEXT.size);
  const view = new DataView(out.buffer, 8);
  out.set(ascii('bext'), 0);
  new DataView(out.buffer).setUint32(4, BEXT.size, true);
  out.set(ascii(WAV_SOFTWARE).subarray(0, 32), 8 + BEXT.originator);
  view.setUint16(BEXT.version, 2, true);
  view.setInt16(BEXT.loudnessValue, hundredths(loudness.integratedLufs), true);
  view.setInt16(BEXT.loudnessRange, hundredths(loudness.rangeLu), true);
  view.setInt16(BEXT.maxTruePeakLevel, hundredths(loudness.truePeakDbtp), true);
  view.setInt16(BEXT.maxMomentaryLoudness, hundredths(loudness.maxMomentaryLufs), true);
  view.setInt16(BEXT.maxShortTermLoudness, hundredths(loudness.maxShortTermLufs), true);
  return out;
}

/** A level in hundredths as a 16-bit field, or 0x7fff (not measured) when it has none. */
function hundredths(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return BEXT.unset;
  return Math.max(-0x8000, Math.min(0x7ffe, Math.round(value * 100)));
}
