import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConvertError } from './convert-error.js';

/** A JSON object of a model config. */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parsed JSON file `name` in `dir`, which `folder` describes ("the checkpoint folder"). */
export async function readConfigFile(dir: string, name: string, folder: string): Promise<unknown> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ConvertError('config_invalid', `${folder} ${dir} has no readable ${name}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ConvertError('config_invalid', `${path} is not valid JSON`);
  }
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
