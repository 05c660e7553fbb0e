import * as ort from './onnxruntime.js';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  NodeError,
  SAMPLE_RATE,
  type AudioClip,
  type Conditioning,
  type EditRequest,
  type Engine,
  type EngineCallContext,
  type GenerateRequest,
  type InpaintRequest,
  type LoraAdapter,
} from '@sa3/nodes';
import { LOCAL_CHANNELS, PACK_MANIFEST, type PackSource } from '../pack-format/index.js';
import { sha256Hex } from '../files/index.js';
import { decodeLatents, encodeAudio } from './codec.js';
import { conditioningFeeds } from './dit-feeds.js';
import { requestedProviders } from './execution-providers.js';
import { guidedVelocity } from './guidance.js';
import { checkInpaintRegions, generatedRanges, latentKeepMask, inpaintLocalCond } from './inpaint-mask.js';
import { compactLayout, officialLayout, type LatentLayout } from './latent-layout.js';
import { LoadedPack } from './loaded-pack.js';
import { LoraAdapters } from './lora-adapters.js';
import { pasteBack } from './paste-back.js';
import { NoiseStream } from './prng.js';
import { encodePromptText, type EncodedPrompt } from './prompt-encoding.js';
import { sampleEuler, samplePingPong, type VelocityModel } from './sampler.js';
import { samplingSchedule } from './schedule.js';
import { cpuHasFastInt8, slowInt8Sentence } from './cpu-int8-support.js';

export const MIN_INIT_NOISE_LEVEL = 0.01;

export interface Sa3EngineOptions {
  /** Where installed packs are found (the store's PackLocator). */
  readonly packs: PackSource;
  /** "cuda", "tensorrt,cuda", "cpu"...; default SA3_EXECUTION_PROVIDER or cpu. */
  readonly providers?: string;
  readonly log?: (line: string) => void;
  /** APG strength for guided sampling (1 = official default, 0 = plain CFG). */
  readonly apgScale?: number;
  /** Where DiTs with merged LoRA stacks are kept (the host gives $SA3_HOME/cache/lora); default a folder under the OS temp dir. */
  readonly loraCacheDir?: string;
  /** Finds a LoRA file by path or installed name (the store's LoraLibrary); default: paths only. */
  readonly loras?: LoraSource;
}

/** Where LoRA files given by name are found. */
export interface LoraSource {
  resolve(file: string): Promise<{ readonly path: string; readonly sha256: string }>;
}

interface SamplingInput {
  readonly adapters?: readonly LoraAdapter[] | undefined;
  readonly prompt: Conditioning;
  readonly negative?: Conditioning | undefined;
  readonly steps: number;
  readonly cfgScale: number;
  readonly seed: number;
  readonly durationSeconds: number;
}

/** Latents an engine attaches to the audio it decoded (opaque to everything else). */
export interface AttachedLatents {
  readonly packId: string;
  readonly channels: number;
  readonly length: number;
  readonly data: Float32Array;
}

/** Stable Audio 3 on ONNX Runtime: text encoder, DiT sampling, SAME encode/decode, inpainting. */
export class Sa3Engine implements Engine {
  readonly device: string;
  private readonly packs: PackSource;
  private readonly providers;
  private readonly log: (line: string) => void;
  private readonly apgScale: number;
  private readonly loaded = new Map<string, Promise<LoadedPack>>();
  private readonly adapters: LoraAdapters;
  private readonly loras: LoraSource | undefined;

  constructor(options: Sa3EngineOptions) {
    this.packs = options.packs;
    this.log = options.log ?? ((line) => process.stderr.write(`sa3: ${line}\n`));
    this.providers = requestedProviders(options.providers, this.log);
    this.apgScale = options.apgScale ?? 1;
    this.device = this.providers[0]!;
    this.adapters = new LoraAdapters(options.loraCacheDir ?? join(tmpdir(), 'sa3-lora'), this.log);
    this.loras = options.loras;
  }

  async loraFile(file: string): Promise<{ path: string; sha256: string }> {
    if (this.loras) return this.loras.resolve(file);
    const path = resolve(file);
    const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw new NodeError('lora_unreadable', `the LoRA file ${path} ${error.code === 'ENOENT' ? 'does not exist' : 'cannot be read'}`, { kind: 'input' });
    });
    return { path, sha256: sha256Hex(bytes) };
  }

  async pack(model: string): Promise<LoadedPack> {
    const { dir, manifest } = await this.packs.resolve(model);
    let loaded = this.loaded.get(dir);
    if (!loaded) {
      loaded = (async () => {
        const manifestText = await readFile(join(dir, PACK_MANIFEST), 'utf8');
        await this.packs.verify(dir, manifest);
        if (manifest.precision === 'int8' && this.device === 'cpu' && cpuHasFastInt8() === false) this.log(slowInt8Sentence(manifest.id));
        return new LoadedPack(dir, manifest, sha256Hex(manifestText), this.providers, this.log);
      })();
      loaded.catch(() => this.loaded.delete(dir));
      this.loaded.set(dir, loaded);
    }
    return loaded;
  }

  async packHash(model: string): Promise<string> {
    return (await this.pack(model)).hash;
  }

  async encodePrompt(text: string, model: string, _ctx: EngineCallContext): Promise<Conditioning> {
    const pack = await this.pack(model);
    const encoded = await encodePromptText(text, pack.manifest.id, await pack.getTokenizer(), await pack.graph('textEncoder'));
    return { text, model, encoded };
  }

  async generate(request: GenerateRequest, ctx: EngineCallContext): Promise<AudioClip> {
    const pack = await this.pack(request.model);
    const layout = await this.layoutFor(pack, request.durationSeconds);
    const localAddCond = new Float32Array(LOCAL_CHANNELS * layout.latents);
    const latents = await this.sample(pack, request, layout, localAddCond, null, ctx);
    return this.decode(pack, latents, layout, ctx);
  }

  async edit(request: EditRequest, ctx: EngineCallContext): Promise<AudioClip> {
    if (request.initNoiseLevel < MIN_INIT_NOISE_LEVEL) {
      throw new NodeError(
        'value_smaller_than_min',
        `init_noise_level ${request.initNoiseLevel} is below ${MIN_INIT_NOISE_LEVEL}, where the model is undefined (it would return NaN); use ${MIN_INIT_NOISE_LEVEL} or more`,
        { param: 'init_noise_level', kind: 'input' },
      );
    }
    const pack = await this.pack(request.model);
    const layout = await this.layoutFor(pack, request.durationSeconds);
    const source = await this.encodeSource(pack, request.source, layout, ctx);
    const localAddCond = new Float32Array(LOCAL_CHANNELS * layout.latents);
    const latents = await this.sample(pack, request, layout, localAddCond, { latents: source, level: request.initNoiseLevel }, ctx);
    return this.decode(pack, latents, layout, ctx);
  }

  async inpaint(request: InpaintRequest, ctx: EngineCallContext): Promise<AudioClip> {
    checkInpaintRegions(request);
    const pack = await this.pack(request.model);
    const layout = await this.layoutFor(pack, request.durationSeconds);
    const source = await this.encodeSource(pack, request.source, layout, ctx);
    const sourceFrames = request.source.channels[0]!.length;
    const mask = latentKeepMask(layout.latents, pack.manifest.samplesPerLatent, request.regions, request.durationSeconds, sourceFrames);
    const localAddCond = inpaintLocalCond(mask, source, pack.manifest.latentChannels);
    const latents = await this.sample(pack, request, layout, localAddCond, null, ctx);
    const decoded = await this.decode(pack, latents, layout, ctx);
    const ranges = generatedRanges(request.regions, mask, pack.manifest.samplesPerLatent);
    const channels = pasteBack(decoded.channels, request.source.channels, ranges, request.crossfadeMs);
    return { ...decoded, channels };
  }

  /** session.run counts and times per graph of a pack, for tests and benchmarks. */
  async stats(model: string): Promise<Record<string, { runs: number; ms: number }>> {
    return (await this.pack(model)).stats();
  }

  async close(): Promise<void> {
    for (const pack of this.loaded.values()) await (await pack.catch(() => null))?.release();
    this.loaded.clear();
  }

  private async layoutFor(pack: LoadedPack, durationSeconds: number): Promise<LatentLayout> {
    const { maxSamples, id } = pack.manifest;
    if (Math.round(durationSeconds * SAMPLE_RATE) > maxSamples) {
      throw new NodeError(
        'value_bigger_than_max',
        `duration ${durationSeconds} s is longer than the ${(maxSamples / SAMPLE_RATE).toFixed(1)} s the model pack "${id}" can make`,
        { param: 'duration', kind: 'input' },
      );
    }
    const dit = await pack.graph('dit');
    const keyMask = pack.manifest.ditLayout === 'explicit' && dit.hasInput('padding_mask');
    return keyMask ? officialLayout(durationSeconds, maxSamples) : compactLayout(durationSeconds, maxSamples);
  }

  private async encoded(pack: LoadedPack, conditioning: Conditioning): Promise<EncodedPrompt> {
    const encoded = conditioning.encoded as EncodedPrompt | undefined;
    if (encoded?.packId === pack.manifest.id) return encoded;
    return encodePromptText(conditioning.text, pack.manifest.id, await pack.getTokenizer(), await pack.graph('textEncoder'));
  }

  /** The source cropped or zero-padded to the layout's length, then SAME-encoded. */
  private async encodeSource(pack: LoadedPack, source: AudioClip, layout: LatentLayout, ctx: EngineCallContext): Promise<Float32Array> {
    const samples = layout.latents * pack.manifest.samplesPerLatent;
    const fit = (channel: Float32Array | undefined): Float32Array => {
      const out = new Float32Array(samples);
      if (channel) out.set(channel.subarray(0, samples));
      return out;
    };
    const channels: [Float32Array, Float32Array] = [fit(source.channels[0]), fit(source.channels[1] ?? source.channels[0])];
    const latents = await encodeAudio(await pack.graph('encoder'), pack.manifest, channels, {
      signal: ctx.signal,
      onChunk: (i, n) => ctx.onProgress(i, n, 'encoding'),
    });
    return latents.data;
  }

  private async sample(
    pack: LoadedPack,
    input: SamplingInput,
    layout: LatentLayout,
    localAddCond: Float32Array,
    init: { latents: Float32Array; level: number } | null,
    ctx: EngineCallContext,
  ): Promise<Float32Array> {
    const manifest = pack.manifest;
    const channels = manifest.latentChannels;
    const size = channels * layout.latents;
    const baseDit = await pack.graph('dit');
    const keyMask = manifest.ditLayout === 'explicit' && baseDit.hasInput('padding_mask');
    const sigmaMax = init ? init.level : 1;
    const sigmas = samplingSchedule(input.steps, sigmaMax);
    // Merging (first use of a stack) happens here, before the first step.
    const adapted = input.adapters?.length ? await this.adapters.adapt(pack, input.adapters, Array.from(sigmas).slice(0, -1)) : null;
    const explicit = await pack.explicitConditioning(input.durationSeconds, adapted?.secondsWeight);
    const prompt = await this.encoded(pack, input.prompt);
    const negative = input.negative ? await this.encoded(pack, input.negative) : null;

    // Draw order is fixed: the initial noise, then (ping-pong) one draw per step.
    const noise = new NoiseStream(input.seed);
    const epsilon = noise.fill(new Float32Array(size));
    let start = epsilon;
    if (init) {
      start = new Float32Array(size);
      for (let i = 0; i < size; i++) start[i] = init.latents[i]! * (1 - sigmaMax) + epsilon[i]! * sigmaMax;
    }
    const feedsFor = (branch: Parameters<typeof conditioningFeeds>[1]) =>
      conditioningFeeds(manifest, branch, input.durationSeconds, localAddCond, layout.latents, layout.validLatents, explicit, keyMask);
    const condFeeds = feedsFor({ kind: 'cond', prompt });
    const uncondFeeds = input.cfgScale !== 1 ? feedsFor(negative ? { kind: 'negative', prompt: negative } : { kind: 'uncond' }) : null;
    const shape = [1, channels, layout.latents];
    const model: VelocityModel = async (x, t, i) => {
      const dit = adapted ? await adapted.ditAt(i) : baseDit;
      const step = { x: new ort.Tensor('float32', x, shape), t: new ort.Tensor('float32', Float32Array.of(t), [1]) };
      const cond = (await dit.run({ ...condFeeds, ...step })).velocity!.data as Float32Array;
      if (!uncondFeeds) return cond;
      const uncond = (await dit.run({ ...uncondFeeds, ...step })).velocity!.data as Float32Array;
      return guidedVelocity({
        x,
        vCond: cond,
        vUncond: uncond,
        t,
        cfgScale: input.cfgScale,
        apgScale: this.apgScale,
        channels,
        length: layout.latents,
        validLatents: layout.validLatents,
      });
    };
    const run = { start, sigmas, model, signal: ctx.signal, onStep: (step: number, total: number) => ctx.onProgress(step, total, 'sampling') };
    return manifest.objective === 'rf_denoiser' ? samplePingPong({ ...run, stepNoise: () => noise.fill(new Float32Array(size)) }) : sampleEuler(run);
  }

  /** Decode, silence what lies past the valid latents, clamp to [-1, 1], trim to the exact length. */
  private async decode(pack: LoadedPack, latents: Float32Array, layout: LatentLayout, ctx: EngineCallContext): Promise<AudioClip> {
    const manifest = pack.manifest;
    const decoded = await decodeLatents(
      await pack.graph('decoder'),
      manifest,
      { channels: manifest.latentChannels, length: layout.latents, data: latents },
      { signal: ctx.signal, onChunk: (i, n) => ctx.onProgress(i, n, 'decoding') },
    );
    const validSamples = layout.validLatents * manifest.samplesPerLatent;
    const channels = decoded.map((channel) => {
      const out = new Float32Array(layout.frames);
      const n = Math.min(layout.frames, validSamples, channel.length);
      for (let i = 0; i < n; i++) out[i] = Math.max(-1, Math.min(1, channel[i]!));
      return out;
    });
    const attached: AttachedLatents = { packId: manifest.id, channels: manifest.latentChannels, length: layout.latents, data: latents };
    return { sampleRate: SAMPLE_RATE, channels, latents: attached };
  }
}
