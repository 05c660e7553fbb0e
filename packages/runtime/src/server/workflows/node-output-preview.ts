import type { AudioClip, EncodedFile } from '@sa3/nodes';
import { encodeWav } from '../../audio/index.js';

/**
 * What the editor's node players get of a node output: audio as a 16-bit WAV, an encoded file as
 * its bytes; undefined for anything else (conditioning, models). The server makes it from its
 * result cache, a worker from its own (and hands it back).
 */
export function nodeOutputPreview(value: unknown): { readonly bytes: Uint8Array; readonly mime: string } | undefined {
  const output = value as Partial<AudioClip & EncodedFile> | null | undefined;
  if (output?.channels) return { bytes: encodeWav(output as AudioClip, '16'), mime: 'audio/wav' };
  if (output?.bytes) return { bytes: output.bytes, mime: output.mime ?? 'application/octet-stream' };
  return undefined;
}
