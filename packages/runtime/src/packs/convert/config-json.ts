import { ConvertError } from './convert-error.js';

/** A JSON object of a model config. */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function failConfig(message: string): never {
  throw new ConvertError('config_invalid', message);
}

/** The object at `parent[key]`, or one sentence naming the path where it is missing. */
export function childObject(parent: Json, key: string, path: string): Json {
  const value = parent[key];
  if (!isObject(value)) failConfig(`model_config.json has no object at ${path}.${key}`);
  return value;
}
