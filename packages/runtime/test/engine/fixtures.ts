import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SafetensorsFile } from '../../src/model-files/safetensors.js';

export const referenceDir = fileURLToPath(new URL('../../../../../shared/fixtures/sa3-reference/', import.meta.url));

/** True when ../shared is beside the repository; CI (SA3_REQUIRE_SHARED=1) fails instead of skipping. */
export function haveReference(): boolean {
  if (existsSync(referenceDir)) return true;
  if (process.env.SA3_REQUIRE_SHARED === '1') throw new Error(`${referenceDir} is missing; CI runs with ../shared beside the repository`);
  console.warn(`skipping: ${referenceDir} is absent (clone with ../shared beside the repository to check against the reference outputs)`);
  return false;
}

export async function openReference(relative: string): Promise<SafetensorsFile> {
  return SafetensorsFile.open(join(referenceDir, relative));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
