import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ownedPrefix } from '../../files/index.js';
import { installPackDir, packHome } from '../../store/index.js';
// The one production import of testpack/: `sa3 models testpack` installs a pack for trying sa3 offline.
import { writeTestPack } from '../../testpack/index.js';
import { EXIT_OK } from '../exit-codes.js';

/** `sa3 models testpack [--id ID] [--base] [--layout explicit]`. */
export async function testpackCommand(packId: string, options: { base: boolean; explicit: boolean }): Promise<number> {
  const objective = options.base ? 'rectified_flow' : 'rf_denoiser';
  const layout = options.explicit ? 'explicit' : 'baked';
  const home = packHome();
  // Written in staging and renamed into place, so a half-written pack is never visible; named with the pid, so one left by a killed process is removed later.
  const temp = join(home.staging, `${ownedPrefix('.testpack-')}${packId}-${randomBytes(4).toString('hex')}`);
  try {
    await writeTestPack(temp, { id: packId, objective, layout, title: `Test pack "${packId}": synthetic tones for trying sa3 offline, not a real model` });
    const dir = await installPackDir(home, temp, packId);
    process.stdout.write(
      `installed the test pack "${packId}" in ${dir}\nits prompts pick tones by the words low, hum, mid, bright, high, bell, whistle and chirp\n`,
    );
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return EXIT_OK;
}
