import { CONVERT_PRECISIONS, type ConvertPrecision } from '../../compiler/index.js';
import { CATALOGUE } from '../../catalogue/index.js';
import { checkPackGraphs, importPack, PackLocator, packHome, removePack, verifyPackFiles } from '../../store/index.js';
import { PackError, type PackErrorCode } from '../../pack-format/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { styleFor } from '../terminal.js';
import { listModels } from './models-list.js';
import { pullCommand } from './models-pull.js';
import { convertCommand } from './models-convert.js';
import { testpackCommand } from './models-testpack.js';
import { loraCommand } from './models-lora.js';

export interface ModelsOptions {
  readonly json: boolean;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** Failures that come from what the user asked for rather than from the network, the disk or the files. */
const invalidInput: readonly PackErrorCode[] = [
  'model_not_installed',
  'unknown_pack',
  'not_pullable',
  'import_unmatched',
  'pack_exists',
  'pack_not_found',
  'not_removable',
  'invalid_pack_id',
];

function usage(message: string): number {
  process.stderr.write(`sa3 models: ${message}\n`);
  return EXIT_INVALID_INPUT;
}

const convertibleIds = () =>
  CATALOGUE.filter((e) => e.availability.kind === 'convertible')
    .map((e) => e.id)
    .join(', ');

/** --precision: undefined when absent, null when it names no precision. */
function precisionOption(value: unknown): ConvertPrecision | undefined | null {
  if (value === undefined) return undefined;
  return CONVERT_PRECISIONS.find((p) => p === value) ?? null;
}

const unknownPrecision = (value: unknown) => `--precision ${JSON.stringify(value)} is not one sa3 converts to; use fp32, fp16 or int8`;

const pullable = () =>
  CATALOGUE.filter((e) => e.availability.kind === 'pullable' || e.availability.kind === 'convertible')
    .map((e) => e.id)
    .join(', ');

/** `sa3 models list | pull ID | import DIR | verify ID | remove ID | path | testpack`. */
export async function modelsCommand(args: readonly string[], options: ModelsOptions): Promise<number> {
  const [action, target, ...extra] = args;
  if (action === 'lora')
    return loraCommand(args.slice(1), { json: options.json, ...(typeof options.values.name === 'string' ? { name: options.values.name } : {}) });
  if (extra.length > 0) return usage(`unexpected argument "${extra[0]}"`);
  const style = styleFor(process.stdout);
  const locator = new PackLocator();
  try {
    switch (action) {
      case undefined:
      case 'list':
        await listModels(locator, options.json, style);
        return EXIT_OK;
      case 'path':
        process.stdout.write(`${packHome().packs}\n`);
        return EXIT_OK;
      case 'pull': {
        if (!target) return usage(`pull needs a pack id, e.g. sa3 models pull small-music; the pullable packs are ${pullable()}`);
        const precision = precisionOption(options.values.precision);
        if (precision === null) return usage(unknownPrecision(options.values.precision));
        const known = CATALOGUE.find((e) => e.id === target);
        if (precision && known && known.availability.kind !== 'convertible') {
          return usage(`--precision applies to packs converted from a checkpoint (${convertibleIds()}); ${target} is downloaded as published`);
        }
        if (precision === 'int8') {
          return usage(
            `an int8 pack is installed beside the float32 one under its own id, so it is made by convert: sa3 models pull ${target} --keep-checkpoint, then sa3 models convert $SA3_HOME/checkpoints/${target} --precision int8 (installs ${target}-int8)`,
          );
        }
        return await pullCommand(target, options.json, { keepCheckpoint: options.values['keep-checkpoint'] === true, ...(precision ? { precision } : {}) });
      }
      case 'import': {
        if (!target) return usage('import needs a folder, e.g. sa3 models import ~/Downloads/stable-audio-3-optimized');
        const id = options.values.id as string | undefined;
        const result = await importPack(target, { move: options.values.move === true, ...(id ? { id } : {}) });
        if (options.json) process.stdout.write(`${JSON.stringify({ type: 'imported', ...result })}\n`);
        else
          process.stdout.write(`imported ${result.id} into ${result.dir}${result.kind === 'published' ? ' (published files matched to the catalogue)' : ''}\n`);
        return EXIT_OK;
      }
      case 'verify': {
        if (!target) return usage('verify needs a pack id, e.g. sa3 models verify small-music');
        const { dir, manifest } = await locator.resolve(target);
        await verifyPackFiles(dir, manifest, { force: true });
        await checkPackGraphs(dir, manifest);
        if (options.json) process.stdout.write(`${JSON.stringify({ type: 'verified', id: manifest.id, dir, files: manifest.files.length })}\n`);
        else
          process.stdout.write(
            `${manifest.id}: all ${manifest.files.length} files match their sha256, and the graphs have the inputs and outputs the pack names\n`,
          );
        return EXIT_OK;
      }
      case 'remove': {
        if (!target) return usage('remove needs a pack id, e.g. sa3 models remove small-music');
        const result = await removePack(target);
        if (options.json) process.stdout.write(`${JSON.stringify({ type: 'removed', id: target, ...result })}\n`);
        else process.stdout.write(result.dir ? `removed ${target} (${result.dir})\n` : `removed the unfinished download of ${target}\n`);
        return EXIT_OK;
      }
      case 'convert': {
        if (!target)
          return usage(
            'convert needs a checkpoint folder (model.safetensors, model_config.json, t5gemma-b-b-ul2/), e.g. sa3 models convert ./my-finetune --id my-finetune',
          );
        const precision = precisionOption(options.values.precision);
        if (precision === null) return usage(unknownPrecision(options.values.precision));
        // --out names the installed pack, as --id does.
        const id = options.values.id ?? options.values.out;
        return await convertCommand(target, { json: options.json, ...(typeof id === 'string' ? { id } : {}), ...(precision ? { precision } : {}) });
      }
      case 'testpack': {
        const packId = (options.values.id as string | undefined) ?? 'sa3-test';
        if (!ID.test(packId)) return usage(`testpack: --id "${packId}" must be lower-case letters, digits, ".", "_" or "-"`);
        return await testpackCommand(packId, { base: Boolean(options.values.base), explicit: options.values.layout === 'explicit' });
      }
      default:
        return usage(`unknown action "${action}"; use list, pull ID, import DIR, convert DIR, verify ID, remove ID, path or testpack`);
    }
  } catch (error) {
    if (error instanceof PackError) {
      if (options.json)
        process.stdout.write(`${JSON.stringify({ type: 'error', code: error.code, message: error.message, ...(error.file ? { file: error.file } : {}) })}\n`);
      process.stderr.write(`sa3 models: ${error.message}\n`);
      return invalidInput.includes(error.code) ? EXIT_INVALID_INPUT : EXIT_RUN_FAILED;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      const message =
        code === 'ENOSPC' || code === 'EDQUOT'
          ? `not enough disk space in SA3_HOME (${packHome().root})`
          : `cannot write in SA3_HOME (${packHome().root}): ${(error as Error).message}`;
      if (options.json) process.stdout.write(`${JSON.stringify({ type: 'error', code, message })}\n`);
      process.stderr.write(`sa3 models: ${message}\n`);
      return EXIT_RUN_FAILED;
    }
    throw error;
  }
}
