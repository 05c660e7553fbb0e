import { NodeError } from '@sa3/nodes';

const MAX_SHOWN = 60;

/** The source as it appears in messages, quoted; long data: URIs and URLs are shortened. */
export function showSource(source: string): string {
  const shown = source.length > MAX_SHOWN ? `${source.slice(0, MAX_SHOWN - 1)}…` : source;
  return JSON.stringify(shown);
}

/** A problem with the `source` param of an audio loader: the user's input, not the run. */
export function sourceError(code: string, message: string, cause?: unknown): NodeError {
  return new NodeError(code, message, { param: 'source', kind: 'input', ...(cause === undefined ? {} : { cause }) });
}
