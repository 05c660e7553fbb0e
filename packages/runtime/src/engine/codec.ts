import * as ort from './onnxruntime.js';
import { cancelledError } from '@sa3/nodes';
import type { PackManifest } from '../pack-format/index.js';
import type { GraphSession } from './graph-session.js';
import { planChunks } from './chunk-plan.js';
import { decodedChannels } from './decoder-output.js';
import { sliceColumns, writeColumns, type Latents } from './latents.js';

interface CodecContext {
  readonly signal: AbortSignal;
  readonly onChunk?: (done: number, total: number) => void;
}

function check(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledError();
}

/**
 * SAME decode in fixed chunks with the official overlap: memory stays bounded by one chunk of
 * model work however long the clip. Returns planar stereo of `latents.length * samplesPerLatent`.
 */
export async function decodeLatents(decoder: GraphSession, pack: PackManifest, latents: Latents, ctx: CodecContext): Promise<[Float32Array, Float32Array]> {
  const spl = pack.samplesPerLatent;
  const total = latents.length * spl;
  const left = new Float32Array(total);
  const right = new Float32Array(total);
  const chunks = planChunks(latents.length, pack.codec.chunkLatents, pack.codec.overlapLatents);
  for (const [index, span] of chunks.entries()) {
    check(ctx.signal);
    const width = Math.min(pack.codec.chunkLatents, latents.length);
    // SAME-S pads an odd latent count to even and returns the extra latent of audio; feed even counts.
    const fed = pack.codec.decoderEvenLatents && width % 2 === 1 ? width + 1 : width;
    const input = sliceColumns(latents, span.start, span.start + width, fed);
    const outputs = await decoder.run({ latents: new ort.Tensor('float32', input.data, [1, latents.channels, fed]) });
    const [chunkLeft, chunkRight] = decodedChannels(outputs, fed * spl, pack.codec.pcmFullScale);
    const from = (span.keepFrom - span.start) * spl;
    const to = (span.keepTo - span.start) * spl;
    left.set(chunkLeft.subarray(from, to), span.keepFrom * spl);
    right.set(chunkRight.subarray(from, to), span.keepFrom * spl);
    ctx.onChunk?.(index + 1, chunks.length);
  }
  return [left, right];
}

/**
 * SAME encode of planar stereo whose length is a whole number of latents, chunked like decode.
 */
export async function encodeAudio(
  encoder: GraphSession,
  pack: PackManifest,
  channels: readonly [Float32Array, Float32Array],
  ctx: CodecContext,
): Promise<Latents> {
  const spl = pack.samplesPerLatent;
  const length = channels[0].length / spl;
  if (!Number.isInteger(length)) throw new Error(`encodeAudio needs a whole number of latents of audio, got ${channels[0].length} samples`);
  const result: Latents = { channels: pack.latentChannels, length, data: new Float32Array(pack.latentChannels * length) };
  const chunks = planChunks(length, pack.codec.chunkLatents, pack.codec.overlapLatents);
  const multiple = pack.codec.encoderMultipleLatents;
  for (const [index, span] of chunks.entries()) {
    check(ctx.signal);
    const width = Math.min(pack.codec.chunkLatents, length);
    const fed = Math.ceil(width / multiple) * multiple;
    const samples = fed * spl;
    const input = new Float32Array(2 * samples);
    input.set(channels[0].subarray(span.start * spl, (span.start + width) * spl), 0);
    input.set(channels[1].subarray(span.start * spl, (span.start + width) * spl), samples);
    const { latents } = await encoder.run({ audio: new ort.Tensor('float32', input, [1, 2, samples]) });
    const chunk: Latents = { channels: pack.latentChannels, length: fed, data: latents!.data as Float32Array };
    writeColumns(result, chunk, span.start, span.keepFrom, span.keepTo);
    ctx.onChunk?.(index + 1, chunks.length);
  }
  return result;
}
