import { join } from 'node:path';
import { PackError } from '../../pack-format/index.js';
import { packHome } from '../../store/index.js';
import type { ConvertPrecision } from '../../compiler/index.js';
import { pullPack, type PullEvent } from '../../hub/index.js';
import { EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { PullProgressView } from '../pull-progress-view.js';
import { styleFor } from '../terminal.js';

/**
 * `sa3 models pull ID [--keep-checkpoint] [--precision fp32|fp16]`: progress on stderr (a bar on a terminal, then a line
 * per conversion part for packs converted from a checkpoint), or every event as a JSON line on stdout.
 */
export async function pullCommand(id: string, json: boolean, options: { keepCheckpoint?: boolean; precision?: ConvertPrecision } = {}): Promise<number> {
  const style = styleFor(process.stderr);
  const view = json ? null : new PullProgressView(process.stderr, style, id);
  const onEvent = (event: PullEvent): void => {
    if (json) process.stdout.write(`${JSON.stringify(event)}\n`);
    else view!.handle(event);
  };
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    const result = await pullPack(id, {
      onEvent,
      signal: controller.signal,
      keepCheckpoint: options.keepCheckpoint === true,
      ...(options.precision ? { precision: options.precision } : {}),
    });
    if (!json) process.stdout.write(result.status === 'installed' ? `installed ${id} in ${result.dir}\n` : `${id} is already installed in ${result.dir}\n`);
    if (!json && result.checkpointDir) process.stdout.write(`the checkpoint is kept in ${result.checkpointDir} (delete it when you no longer need it)\n`);
    return EXIT_OK;
  } catch (error) {
    if (!controller.signal.aborted || error instanceof PackError) throw error;
    const message = `cancelled; what was downloaded is kept in ${join(packHome().staging, id)}, and pulling again resumes from there`;
    if (json) process.stdout.write(`${JSON.stringify({ type: 'cancelled', id, message })}\n`);
    process.stderr.write(`sa3 models pull: ${message}\n`);
    return EXIT_RUN_FAILED;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
