import { embedInFlac } from './flac.js';
import { embedInMp3 } from './id3.js';
import { embedInOgg } from './ogg.js';
import { embedInWav } from './wav.js';

export { embedLoudness, loudnessTags, REPLAYGAIN_REFERENCE_LUFS } from './loudness.js';
export { BEXT } from './bext.js';
export { readEmbeddedWorkflow, detectContainer, type AudioContainer } from '@sa3/nodes';

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
