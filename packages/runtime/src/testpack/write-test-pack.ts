import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import type { GraphBuilder } from '../compiler/index.js';
import { type OnnxDtype, type SavedModel, writeSafetensors } from '../model-files/index.js';
import {
  HIDDEN_SIZE,
  LATENT_CHANNELS,
  MODEL_SAMPLE_RATE,
  PACK_FORMAT,
  PACK_MANIFEST,
  PACK_VERSION,
  SAMPLES_PER_LATENT,
  SECONDS_FEATURES,
  TEXT_TOKENS,
  type DitLayout,
  type GraphSpec,
  type PackFile,
  type PackManifest,
  type TensorDtype,
  type TensorSpec,
} from '../pack-format/index.js';
import { buildDecoder, buildEncoder, TESTPACK_PCM_FULL_SCALE } from './codec-graphs.js';
import { paddingEmbedding, secondsBias, secondsWeight } from './conditioner-weights.js';
import { buildConditioner, buildDit } from './dit-graph.js';
import { buildTextEncoder } from './text-encoder-graph.js';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-json.js';

export interface TestPackOptions {
  readonly id?: string;
  readonly title?: string;
  readonly objective: PackManifest['objective'];
  readonly layout: DitLayout;
  /** Explicit layout only: whether the DiT takes a padding (key) mask, which selects the official length rule. Default true. */
  readonly keyMask?: boolean;
  readonly family?: PackManifest['family'];
  /** Default: the family's official sample_size (small 5,292,032, medium 16,777,216). */
  readonly maxSamples?: number;
  /** Default: chunks of 128 latents overlapping by 32, encoder multiple 2, no decoder parity rule. */
  readonly codec?: Partial<PackManifest['codec']>;
  /**
   * Explicit layout only: where the seconds conditioner lives. "weights" (default):
   * conditioner.safetensors, computed in TypeScript; "graph": conditioner.onnx (seconds ->
   * embedding), as community exports ship it, with no padding embedding anywhere (the text
   * encoder's padded rows are used as they come).
   */
  readonly conditioner?: 'weights' | 'graph';
  /** Save dit.onnx with its weights in dit.onnx.data, to exercise external data. */
  readonly ditExternalData?: boolean;
  /** "pcm": the decoder outputs int32 pcm [1,N,2], as the published SAME-S decoder's PCM-baked variant. */
  readonly decoderOutput?: 'audio' | 'pcm';
}

export const TESTPACK_FILES = {
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
  textEncoder: 'text_encoder.onnx',
  dit: 'dit.onnx',
  encoder: 'encoder.onnx',
  decoder: 'decoder.onnx',
  conditionerWeights: 'conditioner.safetensors',
  conditioner: 'conditioner.onnx',
} as const;

const officialMaxSamples = { small: 5_292_032, medium: 16_777_216 } as const;

function tensorDtype(dtype: OnnxDtype, where: string): TensorDtype {
  if (dtype === 'float32' || dtype === 'float16' || dtype === 'int64' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new TypeError(`${where} is ${dtype}, which a pack manifest cannot describe`);
}

/** The manifest entry of a saved graph; its tensor names are its roles. */
function graphSpec(graph: GraphBuilder, saved: SavedModel): GraphSpec {
  const specs = (declared: GraphBuilder['declaredInputs']): Record<string, TensorSpec> =>
    Object.fromEntries(declared.map((d) => [d.name, { name: d.name, dtype: tensorDtype(d.dtype, `${saved.modelFile}: ${d.name}`), shape: [...d.shape] }]));
  return {
    file: saved.modelFile,
    ...(saved.externalDataFile === undefined ? {} : { externalData: [saved.externalDataFile] }),
    inputs: specs(graph.declaredInputs),
    outputs: specs(graph.declaredOutputs),
  };
}

async function describeFile(dir: string, path: string): Promise<PackFile> {
  const bytes = await readFile(join(dir, path));
  return { path, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Writes a tiny Stable Audio 3 pack whose audio is known in advance: the prompt's note words
 * pick 0.5-amplitude sines, local_add_cond is honoured exactly, and each latent frame decodes
 * on its own. The manifest is written last, so a folder without one is not a pack.
 */
export async function writeTestPack(dir: string, options: TestPackOptions): Promise<PackManifest> {
  const family = options.family ?? 'small';
  const { objective, layout } = options;
  const id = options.id ?? `test-${family}-${objective === 'rf_denoiser' ? 'rf' : 'base'}-${layout}${options.conditioner === 'graph' ? '-conditioner' : ''}`;
  await mkdir(dir, { recursive: true });

  await writeFile(join(dir, TESTPACK_FILES.tokenizer), `${JSON.stringify(tokenizerJson(), null, 2)}\n`);
  await writeFile(join(dir, TESTPACK_FILES.tokenizerConfig), `${JSON.stringify(tokenizerConfigJson(), null, 2)}\n`);
  const written: string[] = [TESTPACK_FILES.tokenizer, TESTPACK_FILES.tokenizerConfig];

  const save = async (graph: GraphBuilder, file: string, externalDataThresholdBytes?: number): Promise<GraphSpec> => {
    const saved = await graph.save(dir, file, externalDataThresholdBytes === undefined ? {} : { externalDataThresholdBytes });
    written.push(...saved.files);
    return graphSpec(graph, saved);
  };
  const textEncoder = await save(buildTextEncoder(), TESTPACK_FILES.textEncoder);
  const dit = await save(buildDit(layout, options.keyMask ?? true), TESTPACK_FILES.dit, options.ditExternalData ? 1024 : undefined);
  const encoder = await save(buildEncoder(), TESTPACK_FILES.encoder);
  const pcm = options.decoderOutput === 'pcm';
  const decoder = await save(buildDecoder({}, { pcm }), TESTPACK_FILES.decoder);

  const conditionerGraph = layout === 'explicit' && options.conditioner === 'graph' ? await save(buildConditioner(), TESTPACK_FILES.conditioner) : undefined;
  if (layout === 'explicit' && !conditionerGraph) {
    await writeSafetensors(join(dir, TESTPACK_FILES.conditionerWeights), {
      padding_embedding: { shape: [HIDDEN_SIZE], data: paddingEmbedding() },
      seconds_weight: { shape: [HIDDEN_SIZE, SECONDS_FEATURES], data: secondsWeight() },
      seconds_bias: { shape: [HIDDEN_SIZE], data: secondsBias() },
    });
    written.push(TESTPACK_FILES.conditionerWeights);
  }

  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    id,
    title: options.title ?? `Test pack (${family}, ${objective}, ${layout} DiT)`,
    family,
    objective,
    sampleRate: MODEL_SAMPLE_RATE,
    latentChannels: LATENT_CHANNELS,
    samplesPerLatent: SAMPLES_PER_LATENT,
    maxSamples: options.maxSamples ?? officialMaxSamples[family],
    text: { tokenizer: TESTPACK_FILES.tokenizer, maxTokens: TEXT_TOKENS, hiddenSize: HIDDEN_SIZE },
    ditLayout: layout,
    ...(layout === 'explicit' && !conditionerGraph ? { conditionerWeights: TESTPACK_FILES.conditionerWeights } : {}),
    codec: {
      chunkLatents: 128,
      overlapLatents: 32,
      encoderMultipleLatents: 2,
      decoderEvenLatents: false,
      ...(pcm ? { pcmFullScale: TESTPACK_PCM_FULL_SCALE } : {}),
      ...options.codec,
    },
    graphs: { textEncoder, dit, encoder, decoder, ...(conditionerGraph ? { conditioner: conditionerGraph } : {}) },
    files: await Promise.all([...written].sort().map((path) => describeFile(dir, path))),
    source: { licence: 'MIT', note: 'Generated test pack: note words in the prompt pick 0.5-amplitude sines; not a real model.' },
  };
  await writeFileAtomic(join(dir, PACK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
