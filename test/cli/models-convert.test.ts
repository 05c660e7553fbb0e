import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCheckpointFolder } from '../../packages/runtime/test/convert/checkpoint-folder.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { sharedDir } from '../helpers/shared.js';
import { existsSync } from 'node:fs';

const haveShared = existsSync(join(sharedDir, 'fixtures/sa3-reference')) || process.env.SA3_REQUIRE_SHARED === '1';

describe.runIf(haveShared)('sa3 models convert', () => {
  it('turns a checkpoint folder into an installed pack that sa3 generate runs', async () => {
    const home = await tempDir('sa3-home-');
    const checkpoint = join(await tempDir('sa3-ckpt-'), 'my-finetune');
    await writeCheckpointFolder(checkpoint);
    const env = { SA3_HOME: home };
    const converted = await runCli(['models', 'convert', checkpoint, '--json'], { env });
    expect(converted.code, converted.stderr).toBe(0);
    const parts = [...new Set(converted.events.filter((e) => e.type === 'progress').map((e) => e.part))];
    expect(parts).toEqual(['textEncoder', 'dit', 'conditioner', 'encoder', 'decoder', 'check']);
    expect(converted.events.at(-1)).toMatchObject({ type: 'converted', id: 'my-finetune' });
    expect(await readdir(join(home, 'packs'))).toEqual(['my-finetune']);

    const out = join(home, 'take.wav');
    const generated = await runCli(['generate', 'a soft mid tone', '--model', 'my-finetune', '--duration', '2', '--steps', '4', '--seed', '1', '--out', out], { env });
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout.trim()).toBe(out);
  });

  it('refuses a folder that is not a checkpoint, naming what is missing, and installs nothing', async () => {
    const home = await tempDir('sa3-home-');
    const folder = join(await tempDir('sa3-ckpt-'), 'not-a-checkpoint');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'notes.txt'), 'hello');
    const result = await runCli(['models', 'convert', folder], { env: { SA3_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model_config\.json|model\.safetensors/);
    expect(existsSync(join(home, 'packs', 'not-a-checkpoint'))).toBe(false);
  });
});
