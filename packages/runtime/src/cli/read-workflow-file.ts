import { readFile, stat } from 'node:fs/promises';
import { readEmbeddedWorkflow } from '../audio/index.js';

/**
 * The workflow text of FILE: a .json file as is, or the workflow embedded in an audio file
 * saved by sa3. Returns a sentence instead when there is none.
 */
export async function readWorkflowFile(file: string): Promise<{ text: string } | { error: string }> {
  let bytes: Buffer;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return { error: `${file} is a directory; give a workflow .json file (or an audio file saved by sa3)` };
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${(error as Error).message}` };
  }
  const firstByte = bytes.subarray(0, 64).toString('utf8').trimStart()[0];
  if (firstByte === '{' || firstByte === '[' || /\.json$/i.test(file)) return { text: bytes.toString('utf8') };
  const embedded = readEmbeddedWorkflow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (embedded !== null) return { text: embedded };
  return { error: `${file} is neither a workflow .json file nor an audio file with an embedded sa3 workflow` };
}
