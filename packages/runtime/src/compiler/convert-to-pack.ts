/**
 * A whole SA3 checkpoint folder -> a model pack the engine runs:
 *   <checkpoint>/model.safetensors, model_config.json, t5gemma-b-b-ul2/{config.json,
 *   model.safetensors, tokenizer.json, tokenizer_config.json}
 *   -> text_encoder.onnx, dit.onnx (explicit layout with padding_mask), encoder.onnx,
 *      decoder.onnx (each with .data), conditioner.safetensors, the tokenizer files, sa3-pack.json
 * Everything is written into a staging folder beside `outDir`, checked by running each graph
 * once, and only then renamed into place; a failed conversion leaves nothing behind.
 */
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../files/index.js';
import type { TensorDeclaration } from './graph/index.js';
import type { OnnxDtype } from '../model-files/index.js';
import {
  MODEL_SAMPLE_RATE,
  PACK_FORMAT,
  PACK_MANIFEST,
  PACK_VERSION,
  type GraphSpec,
  type PackFile,
  type PackManifest,
  type TensorDtype,
  type TensorSpec,
} from '../pack-format/index.js';
import { sha256WithStamp, writeVerifiedStamp, type FileStamp } from '../store/index.js';
import { Checkpoint } from './checkpoint.js';
import { CHECKPOINT_FILE, convertCheckpoint, readModelConfig, type CheckpointPart } from './convert-checkpoint.js';
import { ConvertError } from './convert-error.js';
import { CONVERT_PRECISIONS, type ConvertedGraph, type ConvertPrecision } from './converted-graph.js';
import { checkConvertedPack } from './pack-check.js';
import { readPackConfig, type PackConfig } from './pack-config.js';
import { convertT5GemmaEncoder, readT5GemmaConfigFile, type TextProjection } from './t5gemma-encoder-graph.js';

export type PackPart = 'textEncoder' | CheckpointPart | 'check';

export interface ConvertToPackOptions {
  readonly id: string;
  readonly title?: string;
  /**
   * fp16: DiT and text encoder with a float16 trunk and float32 islands (for GPU providers);
   * int8: their trunk MatMuls and the codec decoder's dynamically quantized (for CPUs with VNNI/AMX).
   * The codec's encoder stays float32.
   */
  readonly precision?: ConvertPrecision;
  /** Where the checkpoint came from, recorded in the manifest (a pull names the repo it downloaded). */
  readonly source?: PackManifest['source'];
  /** Progress within each part, in the order the parts are converted. */
  readonly onProgress?: (part: PackPart, done: number, total: number) => void;
}

const TOKENIZER_FILE = 'tokenizer.json';
const TOKENIZER_CONFIG_FILE = 'tokenizer_config.json';
const TEXT_ENCODER_FILE = 'text_encoder.onnx';
const CONDITIONER_FILE = 'conditioner.safetensors';
const PROMPT_PROJECTION = (id: string) => `conditioner.conditioners.${id}.proj_out`;

function tensorDtype(dtype: OnnxDtype, where: string): TensorDtype {
  if (dtype === 'float32' || dtype === 'float16' || dtype === 'int64' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new ConvertError('check_failed', `${where} is ${dtype}, which a pack manifest cannot describe`);
}

/** The manifest entry of a converted graph; its tensor names are its roles. */
function graphSpec(graph: ConvertedGraph): GraphSpec {
  const specs = (declared: readonly TensorDeclaration[]): Record<string, TensorSpec> =>
    Object.fromEntries(
      declared.map((d) => [d.name, { name: d.name, dtype: tensorDtype(d.dtype, `${graph.saved.modelFile}: ${d.name}`), shape: [...d.shape] }]),
    );
  return {
    file: graph.saved.modelFile,
    ...(graph.saved.externalDataFile === undefined ? {} : { externalData: [graph.saved.externalDataFile] }),
    inputs: specs(graph.inputs),
    outputs: specs(graph.outputs),
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * The prompt conditioner's proj_out when the checkpoint has one (stable-audio-tools adds it
 * when the encoder width differs from cond_dim); without it the widths must agree.
 */
async function promptProjection(checkpointPath: string, prompt: PackConfig['prompt'], encoderWidth: number): Promise<TextProjection | undefined> {
  const key = PROMPT_PROJECTION(prompt.id);
  const checkpoint = await Checkpoint.open(checkpointPath);
  try {
    if (checkpoint.has(`${key}.weight`)) return { checkpointPath, key, outDim: prompt.width };
  } finally {
    await checkpoint.close();
  }
  if (encoderWidth !== prompt.width) {
    throw new ConvertError(
      'tensor_missing',
      `the text encoder is ${encoderWidth} wide but model.conditioning.cond_dim is ${prompt.width}, and the checkpoint has no "${key}.weight" to project between them`,
    );
  }
  return undefined;
}

/** How a pack's note names its precision. */
export function precisionNote(precision: ConvertPrecision): string {
  if (precision === 'fp16') return 'float16 (float32 norms, attention and codec)';
  if (precision === 'int8')
    return 'int8 (int8 weights and dynamically quantized uint8 activations on the DiT, text encoder and codec decoder MatMuls; float32 norms, attention, conditioning and codec encoder)';
  return 'float32';
}

/** A written file's manifest entry, and its verification stamp when it did not change while hashed. */
async function describeFile(dir: string, path: string, stamps: Record<string, FileStamp>): Promise<PackFile> {
  const { sha256, bytes, stamp } = await sha256WithStamp(join(dir, path));
  if (stamp) stamps[path] = stamp;
  return { path, bytes, sha256 };
}

async function convertInto(checkpointDir: string, staging: string, options: ConvertToPackOptions): Promise<PackManifest> {
  const report = options.onProgress ?? (() => {});
  const modelConfig = await readModelConfig(checkpointDir);
  const config = readPackConfig(modelConfig);
  const checkpointPath = join(checkpointDir, CHECKPOINT_FILE);
  const textDir = join(checkpointDir, config.prompt.subfolder);
  if (!(await exists(join(textDir, TOKENIZER_FILE)))) {
    throw new ConvertError(
      'checkpoint_unreadable',
      `the checkpoint folder ${checkpointDir} has no ${config.prompt.subfolder}/${TOKENIZER_FILE}, the prompt encoder's tokenizer`,
    );
  }

  const t5 = await readT5GemmaConfigFile(textDir);
  const projection = await promptProjection(checkpointPath, config.prompt, t5.hiddenSize);
  const precision = options.precision ?? 'fp32';
  const text = await convertT5GemmaEncoder(textDir, staging, {
    fileName: TEXT_ENCODER_FILE,
    precision,
    ...(projection ? { projection } : {}),
    onProgress: (done, total) => report('textEncoder', done, total),
  });
  const converted = await convertCheckpoint(checkpointDir, staging, { precision, onProgress: report });
  if (converted.dit.config.condTokenDim !== text.hiddenSize) {
    throw new ConvertError(
      'config_invalid',
      `model.diffusion.config.cond_token_dim is ${converted.dit.config.condTokenDim} but the prompt encoder delivers ${text.hiddenSize} values per token`,
    );
  }

  const written = [
    ...text.saved.files,
    ...converted.dit.saved.files,
    ...converted.encoder.saved.files,
    ...converted.decoder.saved.files,
    converted.conditioner.file,
    TOKENIZER_FILE,
  ];
  await copyFile(join(textDir, TOKENIZER_FILE), join(staging, TOKENIZER_FILE));
  if (await exists(join(textDir, TOKENIZER_CONFIG_FILE))) {
    await copyFile(join(textDir, TOKENIZER_CONFIG_FILE), join(staging, TOKENIZER_CONFIG_FILE));
    written.push(TOKENIZER_CONFIG_FILE);
  }

  const files: PackFile[] = [];
  const stamps: Record<string, FileStamp> = {};
  for (const path of written.sort()) files.push(await describeFile(staging, path, stamps));
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    id: options.id,
    title: options.title ?? `${options.id} (converted from ${basename(checkpointDir)})`,
    family: config.family,
    objective: config.objective,
    sampleRate: MODEL_SAMPLE_RATE,
    latentChannels: config.latentChannels,
    samplesPerLatent: config.samplesPerLatent,
    maxSamples: config.maxSamples,
    text: { tokenizer: TOKENIZER_FILE, maxTokens: config.prompt.maxTokens, hiddenSize: text.hiddenSize },
    ditLayout: 'explicit',
    precision,
    conditionerWeights: CONDITIONER_FILE,
    codec: config.codec,
    graphs: { textEncoder: graphSpec(text), dit: graphSpec(converted.dit), encoder: graphSpec(converted.encoder), decoder: graphSpec(converted.decoder) },
    files,
    source: { note: `Converted to ${precisionNote(precision)} ONNX from the SA3 checkpoint folder ${basename(checkpointDir)}.`, ...options.source },
  };
  await writeFileAtomic(join(staging, PACK_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  report('check', 0, 4);
  await checkConvertedPack(staging, manifest, (done, total) => report('check', done, total));
  // The hashes just computed: the first generate after a conversion hashes nothing again.
  await writeVerifiedStamp(staging, stamps);
  return manifest;
}

/** Converts the checkpoint folder into a pack at `outDir` (which must not exist yet) and returns its manifest. */
export async function convertCheckpointToPack(checkpointDir: string, outDir: string, options: ConvertToPackOptions): Promise<PackManifest> {
  if (options.precision !== undefined && !CONVERT_PRECISIONS.includes(options.precision)) {
    throw new ConvertError('config_invalid', `the precision ${JSON.stringify(options.precision)} is not one sa3 converts to; use fp32, fp16 or int8`);
  }
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(options.id))
    throw new ConvertError('config_invalid', `the pack id ${JSON.stringify(options.id)} must be lower-case letters, digits, ".", "_" or "-"`);
  if (await exists(outDir)) throw new ConvertError('output_exists', `${outDir} already exists; remove it or convert into another folder`);
  await mkdir(dirname(outDir), { recursive: true });
  const staging = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.converting-`));
  try {
    const manifest = await convertInto(checkpointDir, staging, options);
    await rename(staging, outDir);
    return manifest;
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}
