/**
 * model_config.json and the T5Gemma config.json of the released SA3 checkpoints, with the sizes
 * the reference lists (../shared/reference/sa3-inference.md 1.3-1.5): small (DiT 1024 x 20,
 * SAME-S) and medium (DiT 1536 x 24 with differential attention, SAME-L), both with the
 * T5Gemma b-b encoder (768 x 12, vocabulary 256000). `depth` shortens every stack for quick
 * trials at real width.
 */
export type RealShapedFamily = 'small' | 'medium';

export interface RealShapedModel {
  readonly family: RealShapedFamily;
  /** model_config.json of the checkpoint folder. */
  readonly modelConfig: Record<string, unknown>;
  /** t5gemma-b-b-ul2/config.json. */
  readonly textConfig: Record<string, unknown>;
}

export interface RealShapedOptions {
  /** Blocks of the DiT, of each codec side and layers of the text encoder (default: the released depths). */
  readonly depth?: number;
  /** Rows of the text encoder's embedding table (default 256000, as released). */
  readonly vocabSize?: number;
}

interface FamilySizes {
  readonly embed: number;
  readonly depth: number;
  readonly heads: number;
  readonly differential: boolean;
  readonly sampleSize: number;
  readonly codecChannels: number;
  readonly codecDepth: number;
}

const SIZES: Readonly<Record<RealShapedFamily, FamilySizes>> = {
  small: { embed: 1024, depth: 20, heads: 16, differential: false, sampleSize: 5292032, codecChannels: 128, codecDepth: 6 },
  medium: { embed: 1536, depth: 24, heads: 24, differential: true, sampleSize: 16777216, codecChannels: 256, codecDepth: 12 },
};

const TEXT_LAYERS = 12;
const TEXT_VOCABULARY = 256000;

/** One side of the SAME codec: SAME-S chunks attention with a midpoint shift, SAME-L limits it to a band. */
function codecSide(family: RealShapedFamily, side: 'encoder' | 'decoder', depth: number): Record<string, unknown> {
  const sizes = SIZES[family];
  const common = {
    c_mults: [6],
    channels: sizes.codecChannels,
    differential: true,
    dim_heads: 64,
    dyt: true,
    latent_dim: 256,
    mapping_style: 'none',
    strides: [16],
    transformer_depths: [depth],
    variable_stride: true,
    mask_noise: side === 'encoder' ? (family === 'small' ? 0 : 0.001) : family === 'small' ? 0.01 : 0.1,
    ...(side === 'encoder' ? { in_channels: 512 } : { out_channels: 512 }),
  };
  const layout =
    family === 'small'
      ? { chunk_size: 32, chunk_midpoint_shift: true, conv_mapping: side === 'decoder', ...(side === 'decoder' ? { sinusoidal_blocks: [0] } : {}) }
      : { sliding_window: [1, 1], ...(side === 'decoder' ? { sinusoidal_blocks: [Math.min(8, depth)] } : {}) };
  return { type: 'taae_v2', requires_grad: false, config: { ...common, ...layout } };
}

export function realShapedModel(family: RealShapedFamily, options: RealShapedOptions = {}): RealShapedModel {
  const sizes = SIZES[family];
  const ditDepth = options.depth ?? sizes.depth;
  const codecDepth = options.depth ?? sizes.codecDepth;
  const textLayers = options.depth ?? TEXT_LAYERS;
  const modelConfig = {
    model_type: 'diffusion_cond_inpaint',
    sample_size: sizes.sampleSize,
    sample_rate: 44100,
    model: {
      io_channels: 256,
      diffusion: {
        type: 'dit',
        diffusion_objective: 'rf_denoiser',
        config: {
          io_channels: 256,
          embed_dim: sizes.embed,
          depth: ditDepth,
          num_heads: sizes.heads,
          cond_token_dim: 768,
          global_cond_dim: 768,
          local_add_cond_dim: 257,
          num_memory_tokens: 64,
          global_cond_type: 'adaLN',
          timestep_features_type: 'expo',
          norm_type: 'rms_norm',
          norm_kwargs: { force_fp32: true },
          attn_kwargs: { qk_norm: 'rms', differential: sizes.differential },
          ff_kwargs: { mult: 4.0 },
        },
        cross_attention_cond_ids: ['prompt', 'seconds_total'],
        global_cond_ids: ['seconds_total'],
        local_add_cond_ids: ['inpaint_mask', 'inpaint_masked_input'],
        input_concat_ids: [],
        prepend_cond_ids: [],
        sampling_distribution_shift_options: null,
        mask_padding_attention: true,
        use_effective_length_for_schedule: true,
      },
      conditioning: {
        cond_dim: 768,
        configs: [
          { id: 'prompt', type: 't5gemma', config: { max_length: 256, padding_mode: 'learned', subfolder: 't5gemma-b-b-ul2' } },
          { id: 'seconds_total', type: 'number', config: { min_val: 0, max_val: 384, fourier_features_type: 'expo' } },
        ],
      },
      pretransform: {
        type: 'autoencoder',
        chunked: true,
        iterate_batch: false,
        config: {
          encoder: codecSide(family, 'encoder', codecDepth),
          decoder: codecSide(family, 'decoder', codecDepth),
          bottleneck: { type: 'softnorm', config: { dim: 256, auto_scale: true, freeze: true, noise_augment_dim: 0, noise_regularize: true } },
          pretransform: { type: 'patched', config: { channels: 2, patch_size: 256 } },
          latent_dim: 256,
          downsampling_ratio: 4096,
          io_channels: 2,
        },
      },
    },
  };
  const encoder = {
    attention_bias: false,
    attn_logit_softcapping: 50.0,
    head_dim: 64,
    hidden_activation: 'gelu_pytorch_tanh',
    hidden_size: 768,
    intermediate_size: 2048,
    layer_types: Array.from({ length: textLayers }, (_, i) => (i % 2 === 0 ? 'sliding_attention' : 'full_attention')),
    num_attention_heads: 12,
    num_hidden_layers: textLayers,
    num_key_value_heads: 12,
    query_pre_attn_scalar: 64,
    rms_norm_eps: 1e-6,
    rope_parameters: { rope_theta: 10000.0, rope_type: 'default' },
    sliding_window: 4096,
    vocab_size: options.vocabSize ?? TEXT_VOCABULARY,
  };
  const textConfig = { architectures: ['T5GemmaForConditionalGeneration'], model_type: 't5gemma', is_encoder_decoder: true, encoder };
  return { family, modelConfig, textConfig };
}
