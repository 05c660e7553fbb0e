import { textPosition } from './text-position.js';

/** A JSON.parse error as one sentence, with the line and column where the engine gives a position. */
export function jsonErrorMessage(text: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(detail);
  if (position) return `the file is not valid JSON: ${detail.replace(/ in JSON at position \d+.*$/, '')} at ${textPosition(text, Number(position[1]))}`;
  return `the file is not valid JSON: ${detail}`;
}
