/**
 * The test codec: a latent frame holds Fourier coefficients of the notes' bins over one
 * 4096-sample frame. Decode is synthesis, encode is analysis; each frame stands alone, so
 * chunked decode equals whole decode.
 */
import { GraphBuilder } from '../compiler/index.js';
import type { IoNames } from './dit-graph.js';
import { LATENT_CHANNELS, SAMPLES_PER_LATENT } from '../pack-format/index.js';
import { HALF_CHANNELS, TESTPACK_NOTES } from './notes.js';

function angle(bin: number, n: number): number {
  return (2 * Math.PI * bin * n) / SAMPLES_PER_LATENT;
}

/** [128, 4096]: row 2k is cos of note k's bin, row 2k+1 its sin; other rows zero. */
export function synthesisBasis(): Float32Array {
  const basis = new Float32Array(HALF_CHANNELS * SAMPLES_PER_LATENT);
  for (const { index, bin } of TESTPACK_NOTES) {
    for (let n = 0; n < SAMPLES_PER_LATENT; n++) {
      basis[2 * index * SAMPLES_PER_LATENT + n] = Math.cos(angle(bin, n));
      basis[(2 * index + 1) * SAMPLES_PER_LATENT + n] = Math.sin(angle(bin, n));
    }
  }
  return basis;
}

/** [4096, 128]: the projection back, (2/4096) cos and (2/4096) sin per note. */
export function analysisBasis(): Float32Array {
  const basis = new Float32Array(SAMPLES_PER_LATENT * HALF_CHANNELS);
  const scale = 2 / SAMPLES_PER_LATENT;
  for (const { index, bin } of TESTPACK_NOTES) {
    for (let n = 0; n < SAMPLES_PER_LATENT; n++) {
      basis[n * HALF_CHANNELS + 2 * index] = scale * Math.cos(angle(bin, n));
      basis[n * HALF_CHANNELS + 2 * index + 1] = scale * Math.sin(angle(bin, n));
    }
  }
  return basis;
}

/** The full scale of the PCM-baked test decoder, as 16-bit PCM in an int32. */
export const TESTPACK_PCM_FULL_SCALE = 32767;

export interface DecoderVariant {
  /** The PCM-baked variant: int32 pcm [1,L*4096,2], clamped, times TESTPACK_PCM_FULL_SCALE, cast, interleaved. */
  readonly pcm?: boolean;
  /** Add RandomNormalLike(latents) times this to the latents first, as the published decoders' bottleneck noise. */
  readonly noise?: number;
}

/** latents [1,256,L] -> audio [1,2,L*4096] (or pcm, see DecoderVariant). */
export function buildDecoder(names: IoNames = {}, variant: DecoderVariant = {}): GraphBuilder {
  const g = new GraphBuilder({ graphName: 'decoder', docString: 'sa3 test pack decoder: per-frame Fourier synthesis' });
  const input = g.input(names.latents ?? 'latents', 'float32', [1, LATENT_CHANNELS, 'L']);
  const latents = variant.noise ? g.add(input, g.mul(g.op('RandomNormalLike', [input], 'float32'), variant.noise)) : input; // [1,256,L]
  const basis = g.initializer('synthesis_basis', synthesisBasis(), [HALF_CHANNELS, SAMPLES_PER_LATENT]);
  const halves = g.reshape(latents, [1, 2, HALF_CHANNELS, -1]); // [1,2,128,L]
  const frames = g.transpose(halves, [0, 1, 3, 2]); // [1,2,L,128]
  const samples = g.matMul(frames, basis); // [1,2,L,4096]
  if (variant.pcm) {
    const scaled = g.mul(g.clip(g.reshape(samples, [1, 2, -1]), -1, 1), TESTPACK_PCM_FULL_SCALE); // [1,2,N]
    g.output(g.transpose(g.cast(scaled, 'int32'), [0, 2, 1]), names.pcm ?? 'pcm', [1, 'N', 2]);
    return g;
  }
  g.output(g.reshape(samples, [1, 2, -1], names.audio ?? 'audio'), names.audio ?? 'audio', [1, 2, 'N']);
  return g;
}

/** audio [1,2,N] (N a multiple of 4096) -> latents [1,256,N/4096]. */
export function buildEncoder(names: IoNames = {}): GraphBuilder {
  const g = new GraphBuilder({ graphName: 'encoder', docString: 'sa3 test pack encoder: per-frame Fourier analysis' });
  const audio = g.input(names.audio ?? 'audio', 'float32', [1, 2, 'N']);
  const basis = g.initializer('analysis_basis', analysisBasis(), [SAMPLES_PER_LATENT, HALF_CHANNELS]);
  const frames = g.reshape(audio, [1, 2, -1, SAMPLES_PER_LATENT]); // [1,2,L,4096]
  const coefficients = g.matMul(frames, basis); // [1,2,L,128]
  const halves = g.transpose(coefficients, [0, 1, 3, 2]); // [1,2,128,L]
  g.output(g.reshape(halves, [1, LATENT_CHANNELS, -1], names.latents ?? 'latents'), names.latents ?? 'latents', [1, LATENT_CHANNELS, 'L']);
  return g;
}
