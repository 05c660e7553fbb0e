import { defineNode } from '../node-definition.js';
import { NodeError, noEngineError } from '../errors.js';
import { SAMPLE_RATE, type AudioClip } from '../audio-clip.js';
import {
  MAX_DURATION_SECONDS,
  cfgScaleParam,
  crossfadeMsParam,
  modelParam,
  samplingInputs,
  samplingRequest,
  seedParam,
  stepsParam,
} from './sampling-params.js';

const whenBars = { length_in: ['bars'] } as const;

/** Frames of a loop: bars x beats per bar x 60 / BPM seconds, rounded to the nearest frame. */
export function loopFrames(params: { length_in: string; bars: number; beats_per_bar: number; bpm: number; seconds: number }): number {
  const seconds = params.length_in === 'bars' ? (params.bars * params.beats_per_bar * 60) / params.bpm : params.seconds;
  return Math.round(seconds * SAMPLE_RATE);
}

/** The clip turned by `shift` frames: out[i] = clip[(i + shift) mod n]. */
function rotated(clip: AudioClip, shift: number): AudioClip {
  const channels = clip.channels.map((channel) => {
    const n = channel.length;
    const k = ((shift % n) + n) % n;
    const out = new Float32Array(n);
    out.set(channel.subarray(k), 0);
    out.set(channel.subarray(0, k), n - k);
    return out;
  });
  return { sampleRate: clip.sampleRate, channels };
}

/** Exactly `frames` long: cut, or padded with silence should the engine return a frame less. */
function exactLength(clip: AudioClip, frames: number): AudioClip {
  const channels = clip.channels.map((channel) => {
    const out = new Float32Array(frames);
    out.set(channel.subarray(0, frames));
    return out;
  });
  return { sampleRate: clip.sampleRate, channels };
}

export const sa3Loop = defineNode({
  type: 'sa3.loop',
  typeVersion: 1,
  title: 'Loop',
  category: 'Stable Audio 3',
  description:
    'A seamless loop of N bars at a tempo (or of a duration): generates with extra tail, cuts to the exact length in frames, then regenerates a window across the wrap point so the end flows into the start. WAV files of it carry the loop points (smpl chunk).',
  usesModel: true,
  inputs: samplingInputs,
  outputs: { audio: { type: 'audio', label: 'Loop' } },
  params: {
    model: modelParam,
    length_in: {
      kind: 'enum',
      label: 'Length in',
      options: ['bars', 'seconds'],
      default: 'bars',
      description: 'Give the length as bars at a tempo, or in seconds.',
    },
    bars: {
      kind: 'number',
      label: 'Bars',
      integer: true,
      min: 1,
      max: 64,
      default: 4,
      step: 1,
      onlyWhen: whenBars,
      description: 'Number of bars in the loop.',
    },
    bpm: {
      kind: 'number',
      label: 'Tempo',
      unit: 'BPM',
      min: 20,
      max: 300,
      default: 120,
      step: 1,
      onlyWhen: whenBars,
      description: 'Tempo in beats per minute.',
    },
    beats_per_bar: {
      kind: 'number',
      label: 'Beats per bar',
      integer: true,
      min: 1,
      max: 16,
      default: 4,
      step: 1,
      onlyWhen: whenBars,
      description: 'Beats in each bar (4 for 4/4).',
    },
    seconds: {
      kind: 'number',
      label: 'Seconds',
      unit: 's',
      min: 1,
      max: MAX_DURATION_SECONDS - 10,
      default: 8,
      step: 0.5,
      onlyWhen: { length_in: ['seconds'] },
      description: 'Length of the loop in seconds.',
    },
    padding_seconds: {
      kind: 'number',
      label: 'Tail padding',
      unit: 's',
      min: 0,
      max: 10,
      default: 2,
      step: 0.5,
      description: 'Extra audio generated after the loop and cut away, so the loop does not end in the fade-out of a piece.',
    },
    seam_seconds: {
      kind: 'number',
      label: 'Seam window',
      unit: 's',
      min: 0.1,
      max: 10,
      default: 1,
      step: 0.1,
      description: 'Length of the window regenerated across the wrap point (at most half the loop).',
    },
    steps: stepsParam,
    cfg_scale: cfgScaleParam,
    seed: seedParam,
    crossfade_ms: crossfadeMsParam,
  },
  async run({ params, inputs, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    const frames = loopFrames(params);
    const lengthParam = params.length_in === 'bars' ? 'bars' : 'seconds';
    const loopSeconds = frames / SAMPLE_RATE;
    if (loopSeconds < 1) {
      throw new NodeError('value_smaller_than_min', `the loop would be ${loopSeconds.toFixed(3)} s long; make it at least 1 s (more bars or a slower tempo)`, {
        param: lengthParam,
        kind: 'input',
      });
    }
    const generateSeconds = loopSeconds + params.padding_seconds;
    if (generateSeconds > MAX_DURATION_SECONDS) {
      throw new NodeError(
        'value_bigger_than_max',
        `the loop with its tail padding would be ${generateSeconds.toFixed(3)} s, above the ${MAX_DURATION_SECONDS} s the model can make`,
        { param: lengthParam, kind: 'input' },
      );
    }
    const sampling = samplingRequest(params, inputs);
    const onProgress = progress;
    const generated = await services.engine.generate({ ...sampling, durationSeconds: generateSeconds }, { signal, onProgress }).catch((error: unknown) => {
      // The pack's own limit is about the duration this node asked for: name the params that set it.
      if (error instanceof NodeError && error.param === 'duration')
        throw new NodeError(error.code, `${error.message} (the loop with its ${params.padding_seconds} s tail padding)`, {
          param: lengthParam,
          kind: 'input',
          cause: error,
        });
      throw error;
    });
    const cut = exactLength(generated, frames);

    // Turn the loop so its wrap point lies in the middle, regenerate a window across it, turn it back.
    const half = Math.floor(frames / 2);
    const seam = frames - half;
    const window = Math.min(Math.round(params.seam_seconds * SAMPLE_RATE), half);
    const start = seam - Math.floor(window / 2);
    const region = { startSeconds: start / SAMPLE_RATE, endSeconds: (start + window) / SAMPLE_RATE };
    const sealed = await services.engine.inpaint(
      { ...sampling, source: rotated(cut, half), regions: [region], durationSeconds: loopSeconds, crossfadeMs: params.crossfade_ms },
      { signal, onProgress },
    );
    const loop = rotated(exactLength(sealed, frames), -half);
    return { audio: { ...loop, loop: { startFrame: 0, endFrame: frames - 1 } } };
  },
});
