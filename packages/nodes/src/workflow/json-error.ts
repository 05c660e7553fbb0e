/** A JSON.parse error as one sentence, with the line and column where the engine gives a position. */
export function jsonErrorMessage(text: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(detail);
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return `the file is not valid JSON: ${detail.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
  }
  return `the file is not valid JSON: ${detail}`;
}
