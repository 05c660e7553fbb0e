export { Sa3Engine, MIN_INIT_NOISE_LEVEL, type Sa3EngineOptions, type AttachedLatents, type LoraSource } from './sa3-engine.js';
export { SECONDS_WEIGHT_KEY } from './lora-adapters.js';
export { samplingSchedule } from './schedule.js';
export { samplePingPong, sampleEuler, type VelocityModel, type SamplerRun } from './sampler.js';
export { guidedVelocity } from './guidance.js';
export { NoiseStream, portableLog } from './prng.js';
export { officialLayout, compactLayout, maxDurationSeconds, type LatentLayout } from './latent-layout.js';
export { requestedProviders, knownProviders, type ProviderName } from './execution-providers.js';
export { PromptTokenizer } from './tokenizer.js';
export { expoFrequencies } from './seconds-embedding.js';
// onnxruntime-node with its telemetry off, for the compiler's check of a converted pack.
export * as ort from './onnxruntime.js';
export { MatMulSession } from './matmul-session.js';
