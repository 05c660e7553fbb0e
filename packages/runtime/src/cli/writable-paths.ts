import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsErrorSentence } from '../files/index.js';

/** Makes the output folder (and its parents), or says in one sentence why it cannot be. */
export async function prepareOutputFolder(outDir: string): Promise<string | null> {
  try {
    // A file in the way (or a link to one) makes mkdir fail with EEXIST, answered below.
    await mkdir(outDir, { recursive: true });
    return null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return `cannot write outputs into ${outDir}: it is a file, not a folder`;
    const sentence = fsErrorSentence(error, 'cannot create the output folder', outDir, 'write');
    if (!sentence) throw error;
    return sentence;
  }
}

/**
 * Why the report cannot be written at `path`, checked before the run so no work is done for a
 * report that has nowhere to go; null when its folder is there and it is not itself a folder.
 */
export async function reportPathProblem(path: string): Promise<string | null> {
  const target = await stat(path).catch(() => null);
  if (target?.isDirectory()) return `cannot write the report ${path}: it is a folder, not a file`;
  const folder = await stat(dirname(path)).catch((error: unknown) => error);
  if (folder instanceof Error)
    return fsErrorSentence(folder, 'cannot write the report into', dirname(path)) ?? `cannot write the report ${path}: ${folder.message}`;
  if (!(folder as Awaited<ReturnType<typeof stat>>).isDirectory()) return `cannot write the report ${path}: ${dirname(path)} is a file, not a folder`;
  return null;
}
