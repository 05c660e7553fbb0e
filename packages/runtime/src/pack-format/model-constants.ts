/**
 * The fixed sizes of Stable Audio 3, the same in every export and checkpoint. The engine, the
 * pack store, the compiler and the test packs take them from here.
 */

/** The audio rate every SA3 model works at. */
export const MODEL_SAMPLE_RATE = 44_100;
/** Stereo samples per latent frame, in every SAME codec. */
export const SAMPLES_PER_LATENT = 4096;
/** Channels of one latent frame. */
export const LATENT_CHANNELS = 256;
/** Rows of the DiT's local_add_cond: the keep mask, then the source latents. */
export const LOCAL_CHANNELS = 1 + LATENT_CHANNELS;
/** Prompt tokens the text encoder takes and returns. */
export const TEXT_TOKENS = 256;
/** Width of a prompt token's row, of a cross-attention token and of the global embedding. */
export const HIDDEN_SIZE = 768;
/** Tokens of the DiT's cross_attn_cond: the prompt's rows, then one row for seconds_total. */
export const CROSS_ATTENTION_TOKENS = TEXT_TOKENS + 1;
/** The seconds conditioner clamps seconds_total to [0, SECONDS_MAX] and divides by it. */
export const SECONDS_MAX = 384;
/** Fourier features of the seconds conditioner (cosines, then sines), fed to its Linear(SECONDS_FEATURES -> hidden). */
export const SECONDS_FEATURES = 256;
/** Fourier features of the DiT's timestep (cosines, then sines). */
export const TIME_FEATURES = 256;
