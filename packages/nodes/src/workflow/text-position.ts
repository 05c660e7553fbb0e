/** "line L, column C" of a character offset, both counted from 1. */
export function textPosition(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Line and column of offsets met in order while walking a text once, so that many positions in
 * one long text cost one pass instead of one pass each.
 */
export class LineTracker {
  private line = 1;
  private lineStart = 0;
  private scanned = 0;

  constructor(private readonly text: string) {}

  /** "line L, column C" of `offset`, which must not be smaller than the last one asked for. */
  at(offset: number): string {
    for (let i = this.text.indexOf('\n', this.scanned); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.lineStart = i + 1;
    }
    this.scanned = Math.max(this.scanned, offset);
    return `line ${this.line}, column ${offset - this.lineStart + 1}`;
  }
}
