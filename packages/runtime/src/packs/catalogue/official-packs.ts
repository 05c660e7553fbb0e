/**
 * Stability AI's own exports (stabilityai/stable-audio-3-optimized, onnx/). Facts from the
 * reference: the graph paths and I/O names come from the official TensorRT build scripts, the
 * tokenizer path and size from the shipped file lists of the post-trained repos.
 */
import type { CatalogueEntry, CatalogueFile, GraphIo } from './catalogue-entry.js';
import { HIDDEN_SIZE, io, LATENT_CHANNELS, LOCAL_CHANNELS, TEXT_TOKENS } from './graph-io.js';

export const OPTIMIZED_REPO = 'stabilityai/stable-audio-3-optimized';
const SMALL_SAMPLE_SIZE = 5_292_032;
const BASE_SMALL_SAMPLE_SIZE = 5_324_800;
const MEDIUM_SAMPLE_SIZE = 16_777_216;

const licence = (repo: string) => `Stability AI licence of ${repo} (LICENSE.md there) and the Gemma terms for T5Gemma (LICENSE_GEMMA.md)`;

const t5gemmaEncoderIo: GraphIo = io({ input_ids: ['int64', [1, TEXT_TOKENS]], attention_mask: ['int64', [1, TEXT_TOKENS]] }, { hidden_states: ['float32', [1, TEXT_TOKENS, HIDDEN_SIZE]] });

const bakedDitIo: GraphIo = io(
  {
    x: ['float32', [1, LATENT_CHANNELS, 'L']],
    t: ['float32', [1]],
    t5_hidden: ['float32', [1, TEXT_TOKENS, HIDDEN_SIZE]],
    t5_mask: ['float32', [1, TEXT_TOKENS]],
    seconds_total: ['float32', [1]],
    local_add_cond: ['float32', [1, LOCAL_CHANNELS, 'L']],
  },
  { velocity: ['float32', [1, LATENT_CHANNELS, 'L']] },
);

// The SAME-S graphs call the latents "latent".
const sameSEncoderIo: GraphIo = io({ audio: ['float32', [1, 2, 'N']] }, { latents: ['float32', [1, LATENT_CHANNELS, 'L']] }, { latents: 'latent' });
const sameSDecoderIo: GraphIo = io({ latents: ['float32', [1, LATENT_CHANNELS, 'L']] }, { audio: ['float32', [1, 2, 'N']] }, { latents: 'latent' });

/** Official chunked codec settings; SAME-S encodes multiples of 2 latents and pads an odd count on decode. */
const sameSCodec = { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 2, decoderEvenLatents: true } as const;

function t5gemmaFiles(tokenizerRepo: string): CatalogueFile[] {
  return [
    { role: 'textEncoder', repo: OPTIMIZED_REPO, path: 'onnx/t5gemma/encoder.onnx', packPath: 't5gemma/encoder.onnx', verified: true, approxBytes: 600_000_000 },
    { role: 'tokenizer', repo: tokenizerRepo, path: 't5gemma-b-b-ul2/tokenizer.json', packPath: 't5gemma-b-b-ul2/tokenizer.json', verified: true, approxBytes: 34_362_429 },
    { role: 'tokenizerConfig', repo: tokenizerRepo, path: 't5gemma-b-b-ul2/tokenizer_config.json', packPath: 't5gemma-b-b-ul2/tokenizer_config.json', verified: true, optional: true, approxBytes: 40_000 },
  ];
}

const sameSFiles: CatalogueFile[] = [
  { role: 'encoder', repo: OPTIMIZED_REPO, path: 'onnx/same-s/enc_dynamic_bf16.onnx', packPath: 'same-s/enc_dynamic_bf16.onnx', verified: true, approxBytes: 220_000_000 },
  { role: 'decoder', repo: OPTIMIZED_REPO, path: 'onnx/same-s/dec_dynamic_bf16.onnx', packPath: 'same-s/dec_dynamic_bf16.onnx', verified: true, approxBytes: 220_000_000 },
];

const officialUnverified = [
  `whether ${OPTIMIZED_REPO} itself is gated (the post-trained model repos are)`,
  'the T5Gemma encoder graph\'s dtypes (int64 ids assumed; a pull takes them from the downloaded graph)',
  'whether dec_dynamic_bf16.onnx outputs float "audio" [1,2,N] (what sa3 reads) or the PCM-baked int32 "pcm" variant',
  'whether dit.onnx has external data (a pull takes dit.onnx.data when the repo has it)',
  'sizes other than tokenizer.json: estimated from parameter counts',
];

function postTrainedSmall(id: 'small-music' | 'small-sfx', ditFolder: string, modelRepo: string, title: string): CatalogueEntry {
  return {
    id,
    title,
    family: 'small',
    objective: 'rf_denoiser',
    maxSamples: SMALL_SAMPLE_SIZE,
    availability: { kind: 'pullable' },
    revision: 'main',
    repos: [
      { repo: OPTIMIZED_REPO, gated: 'unknown' },
      { repo: modelRepo, gated: 'yes' },
    ],
    licence: licence(modelRepo),
    ditLayout: 'baked',
    files: [
      ...t5gemmaFiles(modelRepo),
      { role: 'dit', repo: OPTIMIZED_REPO, path: `onnx/${ditFolder}/dit.onnx`, packPath: `${ditFolder}/dit.onnx`, verified: true, approxBytes: 1_840_000_000 },
      ...sameSFiles,
    ],
    io: { textEncoder: t5gemmaEncoderIo, dit: bakedDitIo, encoder: sameSEncoderIo, decoder: sameSDecoderIo },
    text: { maxTokens: TEXT_TOKENS, hiddenSize: HIDDEN_SIZE },
    codec: sameSCodec,
    unverified: officialUnverified,
    note: 'FP32 canonical export with the conditioner baked into the DiT; the tokenizer comes from the gated model repo.',
  };
}

function base(id: 'small-music-base' | 'small-sfx-base' | 'medium-base', family: 'small' | 'medium', repo: string, title: string): CatalogueEntry {
  return {
    id,
    title,
    family,
    objective: 'rectified_flow',
    maxSamples: family === 'small' ? BASE_SMALL_SAMPLE_SIZE : MEDIUM_SAMPLE_SIZE,
    availability: { kind: 'needs-conversion', reason: `needs conversion from safetensors: Stability AI publishes no ONNX export of ${repo} (only model.safetensors)` },
    revision: 'main',
    repos: [{ repo, gated: 'no' }],
    licence: licence(repo),
    ditLayout: 'explicit',
    files: [],
    io: {},
    text: { maxTokens: TEXT_TOKENS, hiddenSize: HIDDEN_SIZE },
    codec: family === 'small' ? sameSCodec : { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 2, decoderEvenLatents: false },
    unverified: [],
  };
}

export const officialPacks: readonly CatalogueEntry[] = [
  {
    id: 'medium',
    title: 'Stable Audio 3 medium (official ONNX DiT)',
    family: 'medium',
    objective: 'rf_denoiser',
    maxSamples: MEDIUM_SAMPLE_SIZE,
    availability: {
      kind: 'blocked',
      reason: 'needs a converted SAME-L: the published onnx/same-l graphs use the TensorRT-only op samel::diff_attn_swa, which ONNX Runtime cannot run',
    },
    revision: 'main',
    repos: [
      { repo: OPTIMIZED_REPO, gated: 'unknown' },
      { repo: 'stabilityai/stable-audio-3-medium', gated: 'yes' },
    ],
    licence: licence('stabilityai/stable-audio-3-medium'),
    ditLayout: 'baked',
    files: [
      ...t5gemmaFiles('stabilityai/stable-audio-3-medium'),
      { role: 'dit', repo: OPTIMIZED_REPO, path: 'onnx/sa3-m/dit.onnx', packPath: 'sa3-m/dit.onnx', verified: true, approxBytes: 30_000_000 },
      { role: 'externalData', repo: OPTIMIZED_REPO, path: 'onnx/sa3-m/dit.onnx.data', packPath: 'sa3-m/dit.onnx.data', verified: true, approxBytes: 5_812_680_768 },
    ],
    io: { textEncoder: t5gemmaEncoderIo, dit: bakedDitIo },
    text: { maxTokens: TEXT_TOKENS, hiddenSize: HIDDEN_SIZE },
    codec: { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 2, decoderEvenLatents: false },
    unverified: officialUnverified.slice(0, 2),
    note: 'The DiT and text encoder are published and run in ONNX Runtime; the SAME-L codec is the missing piece.',
  },
  postTrainedSmall('small-music', 'sa3-sm-music', 'stabilityai/stable-audio-3-small-music', 'Stable Audio 3 small music (official ONNX)'),
  postTrainedSmall('small-sfx', 'sa3-sm-sfx', 'stabilityai/stable-audio-3-small-sfx', 'Stable Audio 3 small sound effects (official ONNX)'),
  base('medium-base', 'medium', 'stabilityai/stable-audio-3-medium-base', 'Stable Audio 3 medium base'),
  base('small-music-base', 'small', 'stabilityai/stable-audio-3-small-music-base', 'Stable Audio 3 small music base'),
  base('small-sfx-base', 'small', 'stabilityai/stable-audio-3-small-sfx-base', 'Stable Audio 3 small sound effects base'),
];
