import { isFlac } from './flac.js';
import { hasId3Tag } from './id3.js';
import { isOgg } from './ogg-pages.js';
import { isRiffWave } from './riff.js';

export type AudioContainer = 'wav' | 'mp3' | 'flac' | 'ogg';

/** Recognises the containers a workflow can be embedded in by their first bytes. */
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
