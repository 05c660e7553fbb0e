import type { FastifyInstance } from 'fastify';
import { NodeError, type AudioIO, type ErrorBody } from '@sa3/nodes';
import { encodeWav } from '../../audio/index.js';
import { refuse } from './error-reply.js';

export interface AudioPreviewRoutesOptions {
  /** The runtime's audio sources: the same paths, uploads, URLs and data: URIs a Load audio node reads, with the same confinement and limits. */
  readonly audio: AudioIO;
}

/**
 * GET /api/audio-preview?source=...: the audio a Load audio node with that source would read,
 * as 16-bit WAV, so the editor shows its waveform and length before any run.
 */
export function registerAudioPreviewRoutes(app: FastifyInstance, options: AudioPreviewRoutesOptions): void {
  app.get<{ Querystring: { source?: string }; Reply: Buffer | ErrorBody }>('/api/audio-preview', async (req, reply) => {
    const source = req.query.source;
    if (typeof source !== 'string' || source.trim() === '') return refuse(reply, 422, 'the query needs ?source= with a path, URL, data: URI or upload id');
    const gone = new AbortController();
    req.raw.on('close', () => gone.abort());
    try {
      const clip = await options.audio.load(source, gone.signal);
      const wav = encodeWav(clip, '16');
      return reply
        .header('content-type', 'audio/wav')
        .header('cache-control', 'no-cache')
        .header('content-length', wav.byteLength)
        .send(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength));
    } catch (error) {
      if (error instanceof NodeError) return refuse(reply, 422, error.message);
      throw error;
    }
  });
}
