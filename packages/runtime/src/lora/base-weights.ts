/** The model side of a merge: checkpoint weights read one at a time by their root keys. */
import type { SafetensorsFile } from '../model-files/index.js';

export interface BaseWeights {
  /** The stored shape of a checkpoint tensor, or undefined when the model has no tensor of that name. */
  shape(key: string): readonly number[] | undefined;
  /** The tensor as float32. */
  read(key: string): Promise<Float32Array>;
}

export function safetensorsBaseWeights(file: SafetensorsFile): BaseWeights {
  return { shape: (key) => file.tensors.get(key)?.shape, read: (key) => file.readFloat32(key) };
}

/** The weight viewed as [fan_out, fan_in] (a Conv1d [out, in, k] as [out, in·k]), or undefined for a vector. */
export function fans(shape: readonly number[]): { fanOut: number; fanIn: number } | undefined {
  if (shape.length < 2) return undefined;
  return { fanOut: shape[0]!, fanIn: shape.slice(1).reduce((a, b) => a * b, 1) };
}
