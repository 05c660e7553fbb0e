/**
 * conditioner.safetensors of an explicit-layout pack: the prompt's learned padding embedding and
 * the seconds conditioner's Linear(256 -> hidden), taken from `conditioner.conditioners.*` of
 * the checkpoint under the names engine/loaded-pack.ts reads.
 */
import { join } from 'node:path';
import { writeSafetensors } from '../model-files/index.js';
import { SECONDS_FEATURES } from '../pack-format/index.js';
import { Checkpoint } from './checkpoint.js';
import { ConvertError } from './convert-error.js';

export const CONDITIONER_PREFIX = 'conditioner.conditioners.';

/** Checkpoint key -> pack tensor name. */
export const conditionerTensors = {
  padding_embedding: `${CONDITIONER_PREFIX}prompt.padding_embedding`,
  seconds_weight: `${CONDITIONER_PREFIX}seconds_total.embedder.embedding.1.weight`,
  seconds_bias: `${CONDITIONER_PREFIX}seconds_total.embedder.embedding.1.bias`,
} as const;

export interface ConvertedConditioner {
  readonly file: string;
  readonly hiddenSize: number;
}

/** model.conditioning.cond_dim of a parsed model_config.json. */
export function conditioningWidth(modelConfig: unknown): number {
  const width = (modelConfig as { model?: { conditioning?: { cond_dim?: unknown } } } | null)?.model?.conditioning?.cond_dim;
  if (!Number.isInteger(width) || (width as number) <= 0)
    throw new ConvertError('config_invalid', 'model_config.json has no positive whole number at model.conditioning.cond_dim');
  return width as number;
}

/** Writes `<outDir>/<fileName>` from the checkpoint's conditioner tensors. */
export async function convertConditionerWeights(
  checkpointPath: string,
  modelConfig: unknown,
  outDir: string,
  fileName = 'conditioner.safetensors',
): Promise<ConvertedConditioner> {
  const hiddenSize = conditioningWidth(modelConfig);
  const checkpoint = await Checkpoint.open(checkpointPath);
  try {
    const paddingEmbedding = await checkpoint.read(conditionerTensors.padding_embedding, [hiddenSize]);
    const secondsWeight = await checkpoint.read(conditionerTensors.seconds_weight, [hiddenSize, SECONDS_FEATURES]);
    const secondsBias = await checkpoint.read(conditionerTensors.seconds_bias, [hiddenSize]);
    await writeSafetensors(join(outDir, fileName), {
      padding_embedding: { shape: [hiddenSize], data: paddingEmbedding },
      seconds_weight: { shape: [hiddenSize, SECONDS_FEATURES], data: secondsWeight },
      seconds_bias: { shape: [hiddenSize], data: secondsBias },
    });
    return { file: fileName, hiddenSize };
  } finally {
    await checkpoint.close();
  }
}
