import type { AudioLoop } from '@sa3/nodes';

/** Bytes of a smpl chunk with one loop, header included: 8 + 36 + 24. */
export const SAMPLER_CHUNK_BYTES = 68;
const MIDI_MIDDLE_C = 60;

/**
 * The RIFF `smpl` chunk that tells samplers where a WAV file loops: one forward loop from
 * loop.startFrame to loop.endFrame (both inclusive, in frames), played endlessly.
 */
export function samplerChunk(loop: AudioLoop, sampleRate: number): Uint8Array {
  const out = new Uint8Array(SAMPLER_CHUNK_BYTES);
  const view = new DataView(out.buffer);
  const fields = [
    0, // manufacturer
    0, // product
    Math.round(1e9 / sampleRate), // sample period in nanoseconds
    MIDI_MIDDLE_C, // unity note
    0, // pitch fraction
    0, // SMPTE format
    0, // SMPTE offset
    1, // sample loops
    0, // sampler data bytes
    0, // loop: cue point id
    0, // loop: type 0 = forward
    loop.startFrame,
    loop.endFrame,
    0, // loop: fraction
    0, // loop: play count, 0 = endless
  ];
  out.set([0x73, 0x6d, 0x70, 0x6c], 0); // "smpl"
  view.setUint32(4, SAMPLER_CHUNK_BYTES - 8, true);
  fields.forEach((value, i) => view.setUint32(8 + 4 * i, value, true));
  return out;
}
