/**
 * An official LoRA file read whole (adapters are small next to the model): its config and, per
 * adapted weight, the adapter tensors as float32 (the files store F16; widening is exact).
 */
import { SafetensorsError, SafetensorsFile } from '../model-files/index.js';
import { tensorsOf, type AdapterTensorName, type AdapterType } from './adapter-type.js';
import { parseLoraConfig, type LoraConfig } from './lora-config.js';
import { LoraError } from './lora-error.js';
import { parseLoraKey, type LayerName } from './lora-keys.js';
import { matchesAny } from './name-patterns.js';

export interface StoredTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface LayerAdapter extends LayerName {
  readonly tensors: Readonly<Partial<Record<AdapterTensorName, StoredTensor>>>;
}

export interface LoraFile {
  readonly path: string;
  readonly config: LoraConfig;
  /** The legacy "dora" resolved to dora-rows or dora-cols as the official loader does. */
  readonly adapterType: AdapterType;
  /** alpha / rank. */
  readonly scaling: number;
  /** By root checkpoint key, in file order; layers that include/exclude leave out are not here. */
  readonly layers: ReadonlyMap<string, LayerAdapter>;
}

export async function readLoraFile(path: string): Promise<LoraFile> {
  const file = await openSafetensors(path);
  try {
    const config = parseLoraConfig(path, file.metadata);
    const grouped = new Map<string, { name: LayerName; tensors: Partial<Record<AdapterTensorName, StoredTensor>> }>();
    for (const [key, info] of file.tensors) {
      const parsed = parseLoraKey(key);
      if (!parsed)
        throw new LoraError(
          'bad_key',
          `${path} holds "${key}", which is not a LoRA adapter tensor ("model.<path>" or "conditioners.<path>" + ".parametrizations.weight.0.<lora_A|lora_B|M_xs|magnitude|magnitude_r|magnitude_c>")`,
        );
      const { layer, tensor } = parsed;
      const entry = grouped.get(layer.rootKey) ?? { name: layer, tensors: {} };
      grouped.set(layer.rootKey, entry);
      entry.tensors[tensor] = { shape: info.shape, data: await readTensor(file, key) };
    }
    const adapterType = config.adapterType === 'dora' ? legacyDoraType(grouped.values()) : config.adapterType;
    const layers = new Map<string, LayerAdapter>();
    for (const [rootKey, { name, tensors }] of grouped) {
      if (config.include !== null && !matchesAny(name.module, config.include)) continue;
      if (config.exclude !== null && matchesAny(name.module, config.exclude)) continue;
      checkTensorNames(path, adapterType, name.module, tensors);
      layers.set(rootKey, { ...name, tensors: squeezeMagnitude(tensors) });
    }
    return { path, config, adapterType, scaling: config.alpha / config.rank, layers };
  } finally {
    await file.close();
  }
}

async function openSafetensors(path: string): Promise<SafetensorsFile> {
  try {
    return await SafetensorsFile.open(path);
  } catch (error) {
    if (error instanceof SafetensorsError) throw new LoraError('unreadable', error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LoraError('unreadable', `the LoRA file ${path} does not exist`);
    if (code === 'EISDIR') throw new LoraError('unreadable', `the LoRA file ${path} is a folder`);
    throw error;
  }
}

async function readTensor(file: SafetensorsFile, key: string): Promise<Float32Array> {
  const { dtype } = file.info(key);
  if (dtype !== 'F16' && dtype !== 'F32' && dtype !== 'BF16')
    throw new LoraError('bad_key', `${file.path} stores "${key}" as ${dtype}; LoRA tensors are floating point (F16, BF16 or F32)`);
  return file.readFloat32(key);
}

/** The official resolve_adapter_type: a 2-D magnitude [1, fan_in] means columns, [fan_out, 1] rows; otherwise rows. */
function legacyDoraType(layers: Iterable<{ tensors: Partial<Record<AdapterTensorName, StoredTensor>> }>): AdapterType {
  for (const { tensors } of layers) {
    const shape = tensors.magnitude?.shape;
    if (!shape) continue;
    if (shape.length === 2 && shape[0] === 1) return 'dora-cols';
    return 'dora-rows';
  }
  return 'dora-rows';
}

/** Older DoRA files store the magnitude as a 2-D row or column; the loader squeezes it. */
function squeezeMagnitude(tensors: Partial<Record<AdapterTensorName, StoredTensor>>): Partial<Record<AdapterTensorName, StoredTensor>> {
  const magnitude = tensors.magnitude;
  if (!magnitude || magnitude.shape.length !== 2 || (magnitude.shape[0] !== 1 && magnitude.shape[1] !== 1)) return tensors;
  return { ...tensors, magnitude: { shape: [magnitude.data.length], data: magnitude.data } };
}

function checkTensorNames(path: string, type: AdapterType, module: string, tensors: Partial<Record<AdapterTensorName, StoredTensor>>): void {
  const wanted = tensorsOf(type);
  const missing = wanted.find((name) => !tensors[name]);
  if (missing) throw new LoraError('missing_tensor', `${path} has no ${missing} for "${module}", which adapter_type ${type} needs for every adapted weight`);
  const extra = (Object.keys(tensors) as AdapterTensorName[]).find((name) => !wanted.includes(name));
  if (extra) throw new LoraError('bad_key', `${path} holds ${extra} for "${module}", which adapter_type ${type} does not have`);
}
