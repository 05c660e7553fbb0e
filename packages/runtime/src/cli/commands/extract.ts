import { readFile } from 'node:fs/promises';
import { readEmbeddedWorkflow } from '../../audio/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK } from '../exit-codes.js';
import { writeFileAtomic } from '../../files/index.js';

/** Prints (or writes) the workflow embedded in an audio file that sa3 saved. */
export async function extractCommand(file: string, options: { out?: string }): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}\n`);
    return EXIT_INVALID_INPUT;
  }
  const json = readEmbeddedWorkflow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (json === null) {
    process.stderr.write(`${file} has no embedded sa3 workflow (only WAV, MP3 and FLAC files saved by sa3 carry one)\n`);
    return EXIT_INVALID_INPUT;
  }
  if (options.out) await writeFileAtomic(options.out, json);
  else process.stdout.write(json);
  return EXIT_OK;
}
