/**
 * Converts an SA3 checkpoint folder (model.safetensors + model_config.json) into the graphs and
 * conditioner weights of an explicit-layout pack, one part at a time.
 */
import { join } from 'node:path';
import { convertConditionerWeights, type ConvertedConditioner } from './conditioner-weights.js';
import { readConfigFile } from './config-json.js';
import type { ConvertPrecision } from './converted-graph.js';
import { convertDit, type ConvertedDit } from './dit-graph.js';
import { sameDecoderInt8Linears } from './quantize-int8.js';
import { convertSameCodec, type ConvertedCodecGraph } from './same-graphs.js';

export const CHECKPOINT_FILE = 'model.safetensors';
export const CONFIG_FILE = 'model_config.json';

export type CheckpointPart = 'dit' | 'conditioner' | 'encoder' | 'decoder';

export interface ConvertCheckpointOptions {
  /** Weights over this many bytes go to external data (default 1024). */
  readonly externalDataThresholdBytes?: number;
  /**
   * The DiT's precision. The codec is float32 (differential attention cancels in float16), but for
   * int8 its decoder's transformer Linears are int8 too (quantize-int8.ts).
   */
  readonly precision?: ConvertPrecision;
  /** Progress within a part (the DiT reports each block) and the start and end of each part. */
  readonly onProgress?: (part: CheckpointPart, done: number, total: number) => void;
}

export interface ConvertedCheckpoint {
  readonly modelConfig: unknown;
  readonly dit: ConvertedDit;
  readonly conditioner: ConvertedConditioner;
  readonly encoder: ConvertedCodecGraph;
  readonly decoder: ConvertedCodecGraph;
}

/** The parsed model_config.json of a checkpoint folder. */
export function readModelConfig(dir: string): Promise<unknown> {
  return readConfigFile(dir, CONFIG_FILE, 'the checkpoint folder');
}

export async function convertCheckpoint(dir: string, outDir: string, options: ConvertCheckpointOptions = {}): Promise<ConvertedCheckpoint> {
  const modelConfig = await readModelConfig(dir);
  const checkpoint = join(dir, CHECKPOINT_FILE);
  const report = options.onProgress ?? (() => {});
  const store = { externalDataThresholdBytes: options.externalDataThresholdBytes };
  const part = async <T>(name: CheckpointPart, run: () => Promise<T>): Promise<T> => {
    report(name, 0, 1);
    const result = await run();
    report(name, 1, 1);
    return result;
  };
  const dit = await convertDit(checkpoint, modelConfig, outDir, {
    ...store,
    precision: options.precision ?? 'fp32',
    onProgress: (done, total) => report('dit', done, total),
  });
  const conditioner = await part('conditioner', () => convertConditionerWeights(checkpoint, modelConfig, outDir));
  const encoder = await part('encoder', () => convertSameCodec('encoder', checkpoint, modelConfig, outDir, store));
  const decoderInt8 = options.precision === 'int8' ? { int8: sameDecoderInt8Linears } : {};
  const decoder = await part('decoder', () => convertSameCodec('decoder', checkpoint, modelConfig, outDir, { ...store, ...decoderInt8 }));
  return { modelConfig, dit, conditioner, encoder, decoder };
}
