import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { convertCheckpointToPack, ConvertError, type ConvertPrecision } from '../../compiler/index.js';
import { ownedPrefix } from '../../files/index.js';
import { installPackDir, packHome } from '../../store/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';

const ID = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * `sa3 models convert DIR [--id ID] [--precision fp32|fp16|int8]`: a Stable Audio 3 checkpoint folder (model.safetensors,
 * model_config.json, t5gemma-b-b-ul2/) -> an installed pack, with progress per part. Without --id the pack is named
 * after the folder, and an int8 pack gets "-int8" after it, so it installs beside the float32 one.
 */
export async function convertCommand(dir: string, options: { id?: string; precision?: ConvertPrecision; json: boolean }): Promise<number> {
  const id =
    options.id ??
    basename(resolve(dir))
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-') + (options.precision === 'int8' ? '-int8' : '');
  if (!ID.test(id)) {
    process.stderr.write(`sa3 models convert: "${id}" is not a usable pack id; give one with --id (lower-case letters, digits, ".", "_" or "-")\n`);
    return EXIT_INVALID_INPUT;
  }
  const home = packHome();
  // Named with the pid, so what a killed conversion left is removed later.
  const temp = join(home.staging, `${ownedPrefix('.convert-')}${id}-${randomBytes(4).toString('hex')}`);
  const live = process.stderr.isTTY === true && !options.json;
  let current = '';
  const onProgress = (part: string, done: number, total: number): void => {
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ type: 'progress', part, done, total })}\n`);
      return;
    }
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    // On a terminal each part keeps its finished bar on its own line.
    if (live && part !== current && current !== '') process.stderr.write('\n');
    if (live) process.stderr.write(`\r\x1b[2K  ${part.padEnd(12)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
    else if (part !== current) process.stderr.write(`converting ${part}\n`);
    current = part;
  };
  try {
    await convertCheckpointToPack(resolve(dir), temp, {
      id,
      ...(options.precision ? { precision: options.precision } : {}),
      onProgress: (part, done, total) => onProgress(part, done, total),
    });
    if (live) process.stderr.write('\n');
    const installed = await installPackDir(home, temp, id);
    if (options.json) process.stdout.write(`${JSON.stringify({ type: 'converted', id, dir: installed })}\n`);
    else process.stdout.write(`converted ${dir} into the pack "${id}" in ${installed}\n`);
    return EXIT_OK;
  } catch (error) {
    if (live) process.stderr.write('\n');
    if (error instanceof ConvertError) {
      if (options.json) process.stdout.write(`${JSON.stringify({ type: 'error', code: error.code, message: error.message })}\n`);
      process.stderr.write(`sa3 models convert: ${error.message}\n`);
      return error.code === 'check_failed' ? EXIT_RUN_FAILED : EXIT_INVALID_INPUT;
    }
    throw error;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
