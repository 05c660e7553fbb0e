import { join } from 'node:path';
import { adaptableWeights, loraDemoModel, writeRealShapedCheckpoint, writeSyntheticLora } from '@sa3/runtime/testpack';
import { runCli, tempDir } from './cli.js';

/** The pack and LoRA names examples/lora-stack.json uses; the same seeds always give the same files (and sha256). */
export const LORA_DEMO_PACK = 'lora-demo';
export const LORA_DEMO_FILES = { warm: { rank: 4, seed: 31 }, bright: { rank: 8, seed: 32 } } as const;

/** Writes one demo LoRA file into `dir`, returning its path. */
export async function writeDemoLora(dir: string, name: keyof typeof LORA_DEMO_FILES): Promise<string> {
  const path = join(dir, `${name}.safetensors`);
  await writeSyntheticLora(path, adaptableWeights(loraDemoModel().modelConfig), LORA_DEMO_FILES[name]);
  return path;
}

/**
 * Installs into env.SA3_HOME, through the CLI, a pack converted from a small checkpoint with
 * medium's layout (the test packs' DiT has no checkpoint weights for a LoRA to adapt) and the
 * demo LoRA files under their names.
 */
export async function installLoraDemo(env: Record<string, string>): Promise<void> {
  const dir = await tempDir('sa3-lora-demo-');
  const checkpoint = join(dir, LORA_DEMO_PACK);
  await writeRealShapedCheckpoint(checkpoint, loraDemoModel(), { seed: 3 });
  const converted = await runCli(['models', 'convert', checkpoint], { env });
  if (converted.code !== 0) throw new Error(`converting the LoRA demo checkpoint failed: ${converted.stderr}`);
  for (const name of Object.keys(LORA_DEMO_FILES) as (keyof typeof LORA_DEMO_FILES)[]) {
    const imported = await runCli(['models', 'lora', 'import', await writeDemoLora(dir, name), '--name', name], { env });
    if (imported.code !== 0) throw new Error(`importing the demo LoRA ${name} failed: ${imported.stderr}`);
  }
}
