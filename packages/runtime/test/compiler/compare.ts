import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { referenceDir } from '../engine/fixtures.js';
import type { SafetensorsFile } from '../../src/model-files/safetensors.js';

export interface Agreement {
  readonly cosine: number;
  readonly maxAbs: number;
}

/** Cosine similarity and max |a - b| over every value. */
export function agreement(actual: ArrayLike<number>, expected: ArrayLike<number>): Agreement {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  let maxAbs = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    dot += a * b;
    na += a * a;
    nb += b * b;
    maxAbs = Math.max(maxAbs, Math.abs(a - b));
  }
  return { cosine: dot / Math.sqrt(na * nb), maxAbs };
}

export async function modelConfig(model: string, file = 'model_config.json'): Promise<unknown> {
  return JSON.parse(await readFile(join(referenceDir, model, file), 'utf8'));
}

export function checkpointPath(model: string): string {
  return join(referenceDir, model, 'model.safetensors');
}

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sa3-convert-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A fixture tensor as an ORT tensor of its stored dtype and shape. */
export async function fixtureTensor(file: SafetensorsFile, name: string): Promise<ort.Tensor> {
  const info = file.info(name);
  const dims = [...info.shape];
  if (info.dtype === 'BOOL') return new ort.Tensor('bool', await file.readBytes(name), dims);
  return new ort.Tensor('float32', await file.readFloat32(name), dims);
}
