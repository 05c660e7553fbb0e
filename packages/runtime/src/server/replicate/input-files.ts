import type { FileStore } from './file-store.js';

const AUDIO_FIELDS = ['init_audio', 'inpaint_audio'] as const;

/**
 * Input audio given as a link to a file uploaded here (urls.get of POST /v1/files) is read
 * from the upload folder instead of over HTTP. Returns the input for the workflow, or a sentence
 * naming a field whose link points at a file this server does not have.
 */
export function resolveInputFiles(
  value: Record<string, unknown>,
  ownBases: readonly string[],
  files: FileStore,
): { value: Record<string, unknown> } | { field: string; error: string } {
  const resolved = { ...value };
  for (const field of AUDIO_FIELDS) {
    const link = resolved[field];
    if (typeof link !== 'string') continue;
    const base = ownBases.find((b) => link.startsWith(`${b}/v1/files/`));
    if (base === undefined) continue;
    const id = /^([^/?#]+)\/?(?:[?#].*)?$/.exec(link.slice(`${base}/v1/files/`.length))?.[1];
    const file = id === undefined ? undefined : files.get(id);
    if (!file) return { field, error: `${field} links to the file "${id ?? link}", which this server does not have (deleted, or uploaded elsewhere)` };
    resolved[field] = `upload:${file.storedName}`;
  }
  return { value: resolved };
}
