/**
 * Stability AI's own exports (stabilityai/stable-audio-3-optimized, onnx/). Facts from the
 * reference: the graph paths and I/O names come from the official TensorRT build scripts, the
 * tokenizer path and size from the shipped file lists of the post-trained repos.
 */
import type { CatalogueEntry, CatalogueFile } from './catalogue-entry.js';
import { type GraphIo, HIDDEN_SIZE, io, LATENT_CHANNELS, LOCAL_CHANNELS, TEXT_TOKENS } from '../pack-format/index.js';

export const OPTIMIZED_REPO = 'stabilityai/stable-audio-3-optimized';
const SMALL_SAMPLE_SIZE = 5_292_032;
const BASE_SMALL_SAMPLE_SIZE = 5_324_800;
const MEDIUM_SAMPLE_SIZE = 16_777_216;

const licence = (repo: string) => `Stability AI licence of ${repo} (LICENSE.md there) and the Gemma terms for T5Gemma (LICENSE_GEMMA.md)`;

const t5gemmaEncoderIo: GraphIo = io(
  { input_ids: ['int64', [1, TEXT_TOKENS]], attention_mask: ['int64', [1, TEXT_TOKENS]] },
  { hidden_states: ['float32', [1, TEXT_TOKENS, HIDDEN_SIZE]] },
);

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

// The SAME-S graphs call the latents "latent"; the decoder is the PCM-baked variant (int32
// "pcm", interleaved), which a pull reads the full scale of from the graph. A decoder with
// float "audio" in its place is taken as well.
const sameSEncoderIo: GraphIo = io({ audio: ['float32', [1, 2, 'N']] }, { latents: ['float32', [1, LATENT_CHANNELS, 'L']] }, { latents: 'latent' });
const sameSDecoderIo: GraphIo = io({ latents: ['float32', [1, LATENT_CHANNELS, 'L']] }, { pcm: ['int32', [1, 'N', 2]] }, { latents: 'latent' });

/** Official chunked codec settings; SAME-S encodes multiples of 2 latents and pads an odd count on decode. */
const sameSCodec = { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 2, decoderEvenLatents: true } as const;

function t5gemmaFiles(tokenizerRepo: string): CatalogueFile[] {
  return [
    {
      role: 'textEncoder',
      repo: OPTIMIZED_REPO,
      path: 'onnx/t5gemma/encoder.onnx',
      packPath: 't5gemma/encoder.onnx',
      verified: true,
      approxBytes: 600_000_000,
    },
    {
      role: 'tokenizer',
      repo: tokenizerRepo,
      path: 't5gemma-b-b-ul2/tokenizer.json',
      packPath: 't5gemma-b-b-ul2/tokenizer.json',
      verified: true,
      approxBytes: 34_362_429,
    },
    {
      role: 'tokenizerConfig',
      repo: tokenizerRepo,
      path: 't5gemma-b-b-ul2/tokenizer_config.json',
      packPath: 't5gemma-b-b-ul2/tokenizer_config.json',
      verified: true,
      optional: true,
      approxBytes: 40_000,
    },
  ];
}

const sameSFiles: CatalogueFile[] = [
  {
    role: 'encoder',
    repo: OPTIMIZED_REPO,
    path: 'onnx/same-s/enc_dynamic_bf16.onnx',
    packPath: 'same-s/enc_dynamic_bf16.onnx',
    verified: true,
    approxBytes: 220_000_000,
  },
  {
    role: 'decoder',
    repo: OPTIMIZED_REPO,
    path: 'onnx/same-s/dec_dynamic_bf16.onnx',
    packPath: 'same-s/dec_dynamic_bf16.onnx',
    verified: true,
    approxBytes: 220_000_000,
  },
];

const officialUnverified = [
  `whether ${OPTIMIZED_REPO} itself is gated (the post-trained model repos are)`,
  "the T5Gemma encoder graph's dtypes (int64 ids assumed; a pull takes them from the downloaded graph)",
  'whether dec_dynamic_bf16.onnx outputs int32 "pcm" [1,N,2] (as the TensorRT build notes say) or float "audio" [1,2,N]; sa3 reads either',
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

/** Root model.safetensors sizes (F32) from the reference (1.2); the -base repos are assumed to match. */
const MEDIUM_CHECKPOINT_BYTES = 9_222_116_660;
const SMALL_CHECKPOINT_BYTES = 2_270_384_940;
/** t5gemma-b-b-ul2/model.safetensors (BF16), byte-identical in every release. */
const T5GEMMA_WEIGHTS_BYTES = 1_183_022_944;

/** The files of a safetensors release (reference 1.6) that the converter needs, laid out as in the repo. */
function checkpointFiles(repo: string, rootBytes: number): CatalogueFile[] {
  const file = (role: CatalogueFile['role'], path: string, approxBytes: number, optional = false): CatalogueFile => ({
    role,
    repo,
    path,
    packPath: path,
    verified: true,
    approxBytes,
    ...(optional ? { optional } : {}),
  });
  return [
    file('checkpointWeights', 'model.safetensors', rootBytes),
    file('checkpointConfig', 'model_config.json', 10_000),
    file('textEncoderConfig', 't5gemma-b-b-ul2/config.json', 3_000),
    file('textEncoderWeights', 't5gemma-b-b-ul2/model.safetensors', T5GEMMA_WEIGHTS_BYTES),
    file('tokenizer', 't5gemma-b-b-ul2/tokenizer.json', 34_362_429),
    file('tokenizerConfig', 't5gemma-b-b-ul2/tokenizer_config.json', 40_000, true),
  ];
}

const checkpointUnverified = ['the sizes of model_config.json and t5gemma-b-b-ul2/config.json (a pull takes every size and sha256 from the repo)'];

/**
 * A pack converted on this machine from a safetensors release: a pull downloads the checkpoint
 * into staging, converts it (sa3 models convert) and deletes it.
 */
function convertible(id: 'medium' | 'medium-base' | 'small-music-base' | 'small-sfx-base', repo: string, title: string, why: string): CatalogueEntry {
  const family = id.startsWith('medium') ? 'medium' : 'small';
  const postTrained = !id.endsWith('-base');
  return {
    id,
    title,
    family,
    objective: postTrained ? 'rf_denoiser' : 'rectified_flow',
    maxSamples: family === 'small' ? BASE_SMALL_SAMPLE_SIZE : MEDIUM_SAMPLE_SIZE,
    availability: { kind: 'convertible', repo, reason: `${why}, so sa3 converts the official checkpoint into ONNX on this machine` },
    revision: 'main',
    // The reference (1.1): the post-trained repos are gated, the -base repos are not.
    repos: [{ repo, gated: postTrained ? 'yes' : 'no' }],
    licence: licence(repo),
    ditLayout: 'explicit',
    files: checkpointFiles(repo, family === 'medium' ? MEDIUM_CHECKPOINT_BYTES : SMALL_CHECKPOINT_BYTES),
    io: {},
    text: { maxTokens: TEXT_TOKENS, hiddenSize: HIDDEN_SIZE },
    codec: family === 'small' ? sameSCodec : { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 1, decoderEvenLatents: false },
    unverified:
      family === 'medium' && postTrained
        ? checkpointUnverified
        : [...checkpointUnverified, `that model.safetensors of ${repo} is as large as its post-trained sibling's`],
    note: 'The graphs, codec settings and I/O come from the converted checkpoint (its model_config.json), not from this entry.',
  };
}

const noExport = (repo: string) => `Stability AI publishes no ONNX export of ${repo} (only model.safetensors)`;

export const officialPacks: readonly CatalogueEntry[] = [
  convertible(
    'medium',
    'stabilityai/stable-audio-3-medium',
    'Stable Audio 3 medium (converted from the official checkpoint)',
    'the published onnx/same-l graphs use the TensorRT-only op samel::diff_attn_swa, which ONNX Runtime cannot run',
  ),
  postTrainedSmall('small-music', 'sa3-sm-music', 'stabilityai/stable-audio-3-small-music', 'Stable Audio 3 small music (official ONNX)'),
  postTrainedSmall('small-sfx', 'sa3-sm-sfx', 'stabilityai/stable-audio-3-small-sfx', 'Stable Audio 3 small sound effects (official ONNX)'),
  convertible('medium-base', 'stabilityai/stable-audio-3-medium-base', 'Stable Audio 3 medium base', noExport('stabilityai/stable-audio-3-medium-base')),
  convertible(
    'small-music-base',
    'stabilityai/stable-audio-3-small-music-base',
    'Stable Audio 3 small music base',
    noExport('stabilityai/stable-audio-3-small-music-base'),
  ),
  convertible(
    'small-sfx-base',
    'stabilityai/stable-audio-3-small-sfx-base',
    'Stable Audio 3 small sound effects base',
    noExport('stabilityai/stable-audio-3-small-sfx-base'),
  ),
];
