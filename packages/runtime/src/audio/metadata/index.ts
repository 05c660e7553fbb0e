import { isRiffWave } from '../riff.js';
import { embedInFlac, isFlac, readFromFlac } from './flac.js';
import { embedInMp3, hasId3Tag, readFromMp3 } from './id3.js';
import { embedInOgg, isOgg, readFromOgg } from './ogg.js';
import { embedInWav, readFromWav } from './wav.js';

export type AudioContainer = 'wav' | 'mp3' | 'flac' | 'ogg';

/** Recognises the containers we embed into by their first bytes. */
export function detectContainer(bytes: Uint8Array): AudioContainer | null {
  if (isRiffWave(bytes)) return 'wav';
  if (isFlac(bytes)) return 'flac';
  if (isOgg(bytes)) return 'ogg';
  if (hasId3Tag(bytes) || isMpegFrameSync(bytes)) return 'mp3';
  return null;
}

function isMpegFrameSync(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0;
}

/**
 * Puts the workflow JSON into an encoded file without touching its audio data. Files of other
 * types are returned unchanged; a damaged file of a supported type throws.
 */
export function embedWorkflow(bytes: Uint8Array, extension: string, json: string): Uint8Array {
  switch (extension.toLowerCase()) {
    case 'wav':
      return embedInWav(bytes, json);
    case 'mp3':
      return embedInMp3(bytes, json);
    case 'flac':
      return embedInFlac(bytes, json);
    case 'ogg':
    case 'opus':
      return embedInOgg(bytes, json);
    default:
      return bytes;
  }
}

/** The workflow JSON embedded in a file, or null when there is none (or the file is not one we read). */
export function readEmbeddedWorkflow(bytes: Uint8Array): string | null {
  try {
    switch (detectContainer(bytes)) {
      case 'wav':
        return readFromWav(bytes);
      case 'mp3':
        return readFromMp3(bytes);
      case 'flac':
        return readFromFlac(bytes);
      case 'ogg':
        return readFromOgg(bytes);
      case null:
        return null;
    }
  } catch {
    return null;
  }
}
