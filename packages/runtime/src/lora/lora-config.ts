/**
 * The "lora_config" header metadata the official export writes:
 * {"rank", "alpha", "adapter_type", "dropout", "include", "exclude"}.
 */
import { ADAPTER_TYPES, isAdapterType, type AdapterType } from './adapter-type.js';
import { LoraError } from './lora-error.js';

export interface LoraConfig {
  readonly rank: number;
  readonly alpha: number;
  /** As written, before the legacy "dora" is resolved from the tensors. */
  readonly adapterType: AdapterType | 'dora';
  /** Only modules whose name contains one of these were adapted (null: all). */
  readonly include: readonly string[] | null;
  /** Modules whose name contains one of these were not adapted. */
  readonly exclude: readonly string[] | null;
}

export function parseLoraConfig(path: string, metadata: Readonly<Record<string, string>>): LoraConfig {
  const text = metadata.lora_config;
  if (text === undefined)
    throw new LoraError('no_lora_config', `${path} has no "lora_config" in its header metadata, so its rank, alpha and adapter type are unknown`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new LoraError('bad_lora_config', `${path} has a "lora_config" header entry that is not valid JSON`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new LoraError('bad_lora_config', `${path} has a "lora_config" that is not a JSON object`);
  const config = raw as Record<string, unknown>;
  const bad = (what: string) => new LoraError('bad_lora_config', `${path} has a "lora_config" whose ${what}`);
  const { rank, alpha } = config;
  if (!Number.isInteger(rank) || (rank as number) <= 0) throw bad(`rank ${JSON.stringify(rank)} is not a positive whole number`);
  const alphaValue = alpha === undefined ? rank : alpha;
  if (typeof alphaValue !== 'number' || !Number.isFinite(alphaValue)) throw bad(`alpha ${JSON.stringify(alpha)} is not a number`);
  const type = config.adapter_type ?? 'lora';
  if (typeof type !== 'string' || !(isAdapterType(type) || type === 'dora'))
    throw new LoraError(
      'unknown_adapter_type',
      `${path} has adapter_type ${JSON.stringify(type)}, which is none of the official types (${ADAPTER_TYPES.join(', ')})`,
    );
  return {
    rank: rank as number,
    alpha: alphaValue,
    adapterType: type,
    include: patterns(config.include, 'include', bad),
    exclude: patterns(config.exclude, 'exclude', bad),
  };
}

function patterns(value: unknown, name: string, bad: (what: string) => LoraError): readonly string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) throw bad(`${name} is not null or a list of strings`);
  return value as string[];
}
