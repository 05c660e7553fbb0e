import { detectContainer } from './container.js';
import { readFlacWorkflow } from './flac.js';
import { readMp3Workflow } from './id3.js';
import { readOggWorkflow } from './ogg.js';
import { readWavWorkflow } from './wav.js';

/**
 * The workflow JSON embedded in saved audio (WAV LIST/INFO ICMT, MP3 ID3v2 TXXX, FLAC and Ogg
 * Vorbis/Opus comments), or null when there is none, the file is damaged or of another type.
 */
export function readEmbeddedWorkflow(bytes: Uint8Array): string | null {
  try {
    switch (detectContainer(bytes)) {
      case 'wav':
        return readWavWorkflow(bytes);
      case 'mp3':
        return readMp3Workflow(bytes);
      case 'flac':
        return readFlacWorkflow(bytes);
      case 'ogg':
        return readOggWorkflow(bytes);
      case null:
        return null;
    }
  } catch {
    return null;
  }
}
