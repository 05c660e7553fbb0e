import { isFlac, readFlacWorkflow } from './flac.js';
import { hasId3, readMp3Workflow } from './id3.js';
import { isWav, readWavWorkflow } from './wav.js';

/**
 * The workflow JSON the sa3 runtime embedded in a saved audio file (WAV LIST/INFO, MP3 ID3v2
 * TXXX, FLAC Vorbis comment), or null when the file carries none.
 */
export function readEmbeddedWorkflow(bytes: Uint8Array): string | null {
  try {
    if (isWav(bytes)) return readWavWorkflow(bytes);
    if (isFlac(bytes)) return readFlacWorkflow(bytes);
    if (hasId3(bytes)) return readMp3Workflow(bytes);
  } catch {
    return null; // a damaged file simply has no workflow we can read
  }
  return null;
}
