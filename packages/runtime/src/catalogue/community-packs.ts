/**
 * Community exports. The reference names their graphs and I/O (from the browser ports that run
 * them), not their file paths, so every path here is unverified: a pull looks the file name up
 * anywhere in the repo.
 */
import type { CatalogueEntry } from './catalogue-entry.js';
import { CROSS_ATTENTION_TOKENS, HIDDEN_SIZE, io, LATENT_CHANNELS, LOCAL_CHANNELS, TEXT_TOKENS } from '../pack-format/index.js';

const INT4_REPO = 'lsb/stable-audio-3-small-music-onnx';
const ENCODER_REPO = 'bgkb/encoder-onnx';

export const communityPacks: readonly CatalogueEntry[] = [
  {
    id: 'small-music-int4',
    title: 'Stable Audio 3 small music, int4 (community export)',
    family: 'small',
    objective: 'rf_denoiser',
    maxSamples: 5_292_032,
    availability: { kind: 'pullable' },
    revision: 'main',
    repos: [
      { repo: INT4_REPO, gated: 'unknown' },
      { repo: ENCODER_REPO, gated: 'unknown' },
    ],
    licence: 'derived from stabilityai/stable-audio-3-small-music: its Stability AI licence and the Gemma terms apply (see the repo cards)',
    ditLayout: 'explicit',
    files: [
      { role: 'textEncoder', repo: INT4_REPO, path: 'text_encoder_q4.onnx', packPath: 'text_encoder_q4.onnx', verified: false, approxBytes: 190_000_000 },
      { role: 'conditioner', repo: INT4_REPO, path: 'number_conditioner.onnx', packPath: 'number_conditioner.onnx', verified: false, approxBytes: 1_000_000 },
      { role: 'dit', repo: INT4_REPO, path: 'dit_q4.onnx', packPath: 'dit_q4.onnx', verified: false, approxBytes: 300_000_000 },
      { role: 'decoder', repo: INT4_REPO, path: 'decoder_q4.onnx', packPath: 'decoder_q4.onnx', verified: false, approxBytes: 160_000_000 },
      { role: 'tokenizer', repo: INT4_REPO, path: 'tokenizer/tokenizer.json', packPath: 'tokenizer/tokenizer.json', verified: false, approxBytes: 34_362_429 },
      {
        role: 'tokenizerConfig',
        repo: INT4_REPO,
        path: 'tokenizer/tokenizer_config.json',
        packPath: 'tokenizer/tokenizer_config.json',
        verified: false,
        optional: true,
        approxBytes: 40_000,
      },
      { role: 'encoder', repo: ENCODER_REPO, path: 'encoder.onnx', packPath: 'encoder/encoder.onnx', verified: false, approxBytes: 220_000_000 },
    ],
    io: {
      textEncoder: io(
        { input_ids: ['int64', [1, TEXT_TOKENS]], attention_mask: ['int64', [1, TEXT_TOKENS]] },
        { hidden_states: ['float32', [1, TEXT_TOKENS, HIDDEN_SIZE]] },
        { hidden_states: 'last_hidden_state' },
      ),
      conditioner: io({ seconds: ['float32', [1]] }, { embedding: ['float32', [1, 1, HIDDEN_SIZE]] }),
      dit: io(
        {
          x: ['float32', [1, LATENT_CHANNELS, 'T']],
          t: ['float32', [1]],
          cross_attn_cond: ['float32', [1, CROSS_ATTENTION_TOKENS, HIDDEN_SIZE]],
          global_embed: ['float32', [1, HIDDEN_SIZE]],
          local_add_cond: ['float32', [1, LOCAL_CHANNELS, 'T']],
          padding_mask: ['bool', [1, 'T']],
        },
        { velocity: ['float32', [1, LATENT_CHANNELS, 'T']] },
        { velocity: 'out' },
      ),
      decoder: io({ latents: ['float32', [1, LATENT_CHANNELS, 'T']] }, { audio: ['float32', [1, 2, 'N']] }),
      // Takes N % 8192 == 0: two latents at a time.
      encoder: io({ audio: ['float32', [1, 2, 'N']] }, { latents: ['float32', [1, LATENT_CHANNELS, 'L']] }),
    },
    text: { maxTokens: TEXT_TOKENS, hiddenSize: HIDDEN_SIZE },
    codec: { chunkLatents: 128, overlapLatents: 32, encoderMultipleLatents: 2, decoderEvenLatents: true },
    unverified: [
      'every file path (the reference names the graphs text_encoder_q4, number_conditioner, dit_q4, decoder_q4 and tokenizer/tokenizer.json, not where they sit; a pull finds them by name)',
      `the encoder file name in ${ENCODER_REPO}`,
      'whether either repo is gated, and the licence wording',
      'that text_encoder_q4 applies the learned padding itself (one port feeds its output straight into cross_attn_cond; sa3 does the same)',
      'dtypes other than padding_mask (bool) and the int64 ids (a pull takes them from the downloaded graphs)',
      'sizes: the reference gives about 650 MB for the int4 graphs in all; the split is estimated',
    ],
    note: "int4 (MatMulNBits) quantization: Stability's own notes found an int4 DiT unusable, so expect lower quality than the official FP32 export.",
  },
];
