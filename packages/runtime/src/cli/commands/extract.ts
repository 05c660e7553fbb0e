import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from '../exit-codes.js';
import { fsErrorSentence, writeFileAtomic } from '../../files/index.js';
import { readWorkflowFile } from '../read-workflow-file.js';

/** Prints (or writes) the workflow embedded in an audio file that sa3 saved. */
export async function extractCommand(file: string, options: { out?: string }): Promise<number> {
  const read = await readWorkflowFile(file);
  if ('error' in read) {
    process.stderr.write(`sa3: ${read.error}\n`);
    return EXIT_INVALID_INPUT;
  }
  if (!options.out) {
    process.stdout.write(read.text);
    return EXIT_OK;
  }
  try {
    await writeFileAtomic(options.out, read.text);
  } catch (error) {
    const sentence = fsErrorSentence(error, 'cannot write the workflow to', options.out, 'write');
    if (!sentence) throw error;
    process.stderr.write(`sa3: ${sentence}; nothing was written\n`);
    return EXIT_RUN_FAILED;
  }
  return EXIT_OK;
}
