import { open, stat } from 'node:fs/promises';
import { readEmbeddedWorkflow } from '../audio/index.js';
import { formatBytes } from '../files/index.js';

/** A workflow file is a few kilobytes; this leaves room for any real one and none for a runaway. */
export const MAX_WORKFLOW_JSON_BYTES = 64_000_000;
/** An audio file sa3 saved, read whole to find the workflow it carries (a 380 s 32-bit WAV is 134 MB). */
export const MAX_WORKFLOW_AUDIO_BYTES = 1_000_000_000;

/**
 * The workflow text of FILE: a .json file as is, or the workflow embedded in an audio file
 * saved by sa3. Returns a sentence instead when there is none.
 */
export async function readWorkflowFile(file: string): Promise<{ text: string } | { error: string }> {
  let bytes: Buffer;
  try {
    // Checked by path before opening: opening a pipe waits for a writer, and a device never ends.
    const kind = await stat(file);
    if (kind.isDirectory()) return { error: `${file} is a directory; give a workflow .json file (or an audio file saved by sa3)` };
    if (!kind.isFile())
      return { error: `${file} is not a regular file (a device, pipe or socket); give a workflow .json file (or an audio file saved by sa3)` };
    const handle = await open(file, 'r');
    try {
      const info = await handle.stat();
      const head = Buffer.alloc(Math.min(64, info.size));
      await handle.read(head, 0, head.length, 0);
      const json = looksLikeJson(head, file);
      const limit = json ? MAX_WORKFLOW_JSON_BYTES : MAX_WORKFLOW_AUDIO_BYTES;
      if (info.size > limit) {
        return {
          error: `${file} is ${formatBytes(info.size)}; a ${json ? 'workflow file' : 'file with an embedded workflow'} may be at most ${formatBytes(limit)}`,
        };
      }
      bytes = Buffer.alloc(info.size);
      const { bytesRead } = await handle.read(bytes, 0, info.size, 0);
      bytes = bytes.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { error: `${file} does not exist` };
    if (code === 'EISDIR') return { error: `${file} is a directory; give a workflow .json file (or an audio file saved by sa3)` };
    if (code === 'EACCES' || code === 'EPERM') return { error: `${file} cannot be read: permission denied` };
    return { error: `cannot read ${file}: ${(error as Error).message}` };
  }
  if (looksLikeJson(bytes.subarray(0, 64), file)) return { text: bytes.toString('utf8') };
  const embedded = readEmbeddedWorkflow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (embedded !== null) return { text: embedded };
  return { error: `${file} is neither a workflow .json file nor an audio file with an embedded sa3 workflow` };
}

function looksLikeJson(head: Uint8Array, file: string): boolean {
  const first = Buffer.from(head)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  return first === '{' || first === '[' || /\.json$/i.test(file);
}
