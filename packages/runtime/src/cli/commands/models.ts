import { join } from 'node:path';
import { rm, rename, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { PackLocator, sa3Home } from '../../packs/pack-locator.js';
import { PackError } from '../../packs/pack-error.js';
import { verifyPackFiles } from '../../packs/verify-files.js';
import { writeTestPack } from '../../packs/testpack/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { styleFor } from '../terminal.js';

export interface ModelsOptions {
  readonly json: boolean;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** `sa3 models list | path | verify ID | testpack`: the installed model packs. */
export async function modelsCommand(args: readonly string[], options: ModelsOptions): Promise<number> {
  const [action, id] = args;
  const style = styleFor(process.stdout);
  const locator = new PackLocator();
  try {
    switch (action) {
      case undefined:
      case 'list': {
        const packs = await locator.list();
        if (options.json) {
          process.stdout.write(JSON.stringify(packs.map((p) => ({ id: p.manifest.id, title: p.manifest.title, dir: p.dir, objective: p.manifest.objective, ditLayout: p.manifest.ditLayout, maxSeconds: p.manifest.maxSamples / 44_100 })), null, 2) + '\n');
        } else if (packs.length === 0) {
          process.stdout.write(`no model packs installed in ${locator.roots.join(', ')}\npull one with "sa3 models pull small-music", or try offline with "sa3 models testpack"\n`);
        } else {
          for (const p of packs) process.stdout.write(`${style.bold(p.manifest.id.padEnd(20))} ${p.manifest.title} ${style.dim(`(${p.manifest.objective}, up to ${(p.manifest.maxSamples / 44_100).toFixed(1)} s) ${p.dir}`)}\n`);
        }
        return EXIT_OK;
      }
      case 'path':
        process.stdout.write(`${join(sa3Home(), 'packs')}\n`);
        return EXIT_OK;
      case 'verify': {
        if (!id) throw new PackError('model_not_installed', 'verify needs a pack id, e.g. sa3 models verify small-music');
        const { dir, manifest } = await locator.resolve(id);
        await verifyPackFiles(dir, manifest, { force: true });
        process.stdout.write(`${manifest.id}: all ${manifest.files.length} files match their sha256\n`);
        return EXIT_OK;
      }
      case 'testpack': {
        const packId = (options.values.id as string | undefined) ?? 'sa3-test';
        if (!ID.test(packId)) {
          process.stderr.write(`sa3 models testpack: --id "${packId}" must be lower-case letters, digits, ".", "_" or "-"\n`);
          return EXIT_INVALID_INPUT;
        }
        const objective = options.values.base ? 'rectified_flow' : 'rf_denoiser';
        const layout = options.values.layout === 'explicit' ? 'explicit' : 'baked';
        const target = join(sa3Home(), 'packs', packId);
        // Written beside its final place and renamed, so a half-written pack is never visible.
        const temp = join(sa3Home(), 'packs', `.${packId}.${randomBytes(4).toString('hex')}.partial`);
        await mkdir(temp, { recursive: true });
        try {
          await writeTestPack(temp, { id: packId, objective, layout, title: `Test pack "${packId}": synthetic tones for trying sa3 offline, not a real model` });
          await rm(target, { recursive: true, force: true });
          await rename(temp, target);
        } catch (error) {
          await rm(temp, { recursive: true, force: true });
          throw error;
        }
        process.stdout.write(`installed the test pack "${packId}" in ${target}\nits prompts pick tones by the words low, hum, mid, bright, high, bell, whistle and chirp\n`);
        return EXIT_OK;
      }
      default:
        process.stderr.write(`sa3 models: unknown action "${action}"; use list, path, verify ID or testpack\n`);
        return EXIT_INVALID_INPUT;
    }
  } catch (error) {
    if (error instanceof PackError) {
      process.stderr.write(`sa3 models: ${error.message}\n`);
      return error.code === 'model_not_installed' ? EXIT_INVALID_INPUT : EXIT_RUN_FAILED;
    }
    throw error;
  }
}
