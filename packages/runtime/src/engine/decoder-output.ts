import type * as ort from './onnxruntime.js';

/**
 * A decoder run's audio as planar float channels of `samples` each: float "audio" [1,2,N] as
 * it is, or the PCM-baked variant's int32 "pcm" [1,N,2] (interleaved) divided by its full scale.
 */
export function decodedChannels(
  outputs: Readonly<Record<string, ort.Tensor>>,
  samples: number,
  pcmFullScale: number | undefined,
): [Float32Array, Float32Array] {
  const audio = outputs.audio;
  if (audio) {
    const data = audio.data as Float32Array;
    return [data.subarray(0, samples), data.subarray(samples, 2 * samples)];
  }
  const pcm = outputs.pcm;
  if (!pcm || pcmFullScale === undefined) throw new Error('the decoder returned neither "audio" nor "pcm" with a full scale');
  const data = pcm.data as Int32Array;
  const left = new Float32Array(samples);
  const right = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    left[i] = data[2 * i]! / pcmFullScale;
    right[i] = data[2 * i + 1]! / pcmFullScale;
  }
  return [left, right];
}
