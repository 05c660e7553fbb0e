/** Where text nests arrays and objects too deep: the offset of the bracket that goes too deep, with its line and column. */
export interface TooDeep {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/**
 * The first place where `text` opens more than `maxDepth` arrays and objects, or null. It reads
 * any text (valid JSON or not) in one loop and skips string contents with indexOf, so it can run
 * before JSON.parse on a body of any size: what is nested too deep is refused before it is built.
 */
export function firstTooDeep(text: string, maxDepth: number): TooDeep | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return null;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > maxDepth) return { offset: i, line, column: i - lineStart + 1 };
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    } else if (ch === NEWLINE) {
      line++;
      lineStart = i + 1;
    }
  }
  return null;
}

/** The offset of the quote that closes the string opened at `open`, or -1 when it is never closed. */
function closingQuote(text: string, open: number): number {
  let i = open;
  for (;;) {
    i = text.indexOf('"', i + 1);
    if (i < 0) return -1;
    let backslashes = 0;
    for (let j = i - 1; text.charCodeAt(j) === BACKSLASH; j--) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
}
