/** Where a JSON text first goes wrong, and why, in the words of Python's json module. */
export interface JsonDecodeError {
  /** Index of the character at fault, counted in characters (code points) as Python counts them. */
  readonly pos: number;
  /** The reason without its position, as Python's JSONDecodeError.msg. */
  readonly msg: string;
}

class Stop extends Error {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * A JSON reader that stops where Python's json.loads (its C scanner) stops, with its message:
 * FastAPI, under Cog, answers a body it cannot decode with that position and message. Python
 * also reads NaN, Infinity and -Infinity, so they are no error here.
 */
class Reader {
  constructor(private readonly s: string) {}

  private skip(i: number): number {
    while (i < this.s.length && WHITESPACE.has(this.s[i]!)) i++;
    return i;
  }

  document(): void {
    const end = this.skip(this.value(this.skip(0)));
    if (end !== this.s.length) throw new Stop(end, 'Extra data');
  }

  private value(i: number): number {
    const s = this.s;
    const c = s[i];
    if (c === '"') return this.string(i + 1);
    if (c === '{') return this.object(i + 1);
    if (c === '[') return this.array(i + 1);
    for (const word of ['null', 'true', 'false', 'NaN', 'Infinity', '-Infinity']) if (s.startsWith(word, i)) return i + word.length;
    NUMBER.lastIndex = i;
    if (NUMBER.test(s)) return NUMBER.lastIndex;
    throw new Stop(i, 'Expecting value');
  }

  private string(start: number): number {
    const s = this.s;
    const begin = start - 1;
    let i = start;
    for (;;) {
      while (i < s.length && s[i] !== '"' && s[i] !== '\\') {
        if (s.charCodeAt(i) <= 0x1f) throw new Stop(i, 'Invalid control character at');
        i++;
      }
      if (i >= s.length) throw new Stop(begin, 'Unterminated string starting at');
      if (s[i] === '"') return i + 1;
      i++; // past the backslash
      if (i >= s.length) throw new Stop(begin, 'Unterminated string starting at');
      if (s[i] !== 'u') {
        if (!ESCAPES.has(s[i]!)) throw new Stop(i - 1, 'Invalid \\escape');
        i++;
        continue;
      }
      if (i + 5 >= s.length || !HEX4.test(s.slice(i + 1, i + 5))) throw new Stop(i, 'Invalid \\uXXXX escape');
      i += 5;
    }
  }

  private object(start: number): number {
    const s = this.s;
    let i = this.skip(start);
    if (s[i] === '}') return i + 1;
    for (;;) {
      if (s[i] !== '"') throw new Stop(i, 'Expecting property name enclosed in double quotes');
      i = this.skip(this.string(i + 1));
      if (s[i] !== ':') throw new Stop(i, "Expecting ':' delimiter");
      i = this.skip(this.value(this.skip(i + 1)));
      if (s[i] === '}') return i + 1;
      if (s[i] !== ',') throw new Stop(i, "Expecting ',' delimiter");
      i = this.skip(i + 1);
    }
  }

  private array(start: number): number {
    const s = this.s;
    let i = this.skip(start);
    if (s[i] === ']') return i + 1;
    for (;;) {
      i = this.skip(this.value(i));
      if (s[i] === ']') return i + 1;
      if (s[i] !== ',') throw new Stop(i, "Expecting ',' delimiter");
      i = this.skip(i + 1);
    }
  }
}

/** The first error Python's json.loads would report in `text`, or null when Python would read it. */
export function pythonJsonDecodeError(text: string): JsonDecodeError | null {
  try {
    new Reader(text).document();
    return null;
  } catch (error) {
    if (error instanceof Stop) return { pos: [...text.slice(0, error.pos)].length, msg: error.reason };
    throw error;
  }
}
