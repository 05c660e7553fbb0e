const INTEGER = /^[+-]?\d+(?:_\d+)*(?:\.0+)?$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Underscores between digits, as Python allows them in numbers ("1_000"): none leading, trailing or doubled. */
function withoutUnderscores(text: string): string | null {
  return text.includes('_') && !text.startsWith('_') && !text.endsWith('_') && !text.includes('__') ? text.replaceAll('_', '') : null;
}

/**
 * The number a value stands for where pydantic, validating Cog's input in its default lax mode,
 * takes one (pydantic-core's str_as_int, str_as_float and bool handling): a number as it is, true
 * and false as 1 and 0, and a string that spells a number ("8", " 8 ", "+8", "8.0" or "1_000" for
 * an integer; "12.5", ".5", "1e2" for a number). Anything else is undefined.
 */
export function laxNumber(value: unknown, integer: boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (integer) {
    if (!INTEGER.test(trimmed)) return undefined;
    return Number(trimmed.replaceAll('_', '').replace(/\.0+$/, ''));
  }
  if (FLOAT.test(trimmed)) return Number(trimmed);
  const plain = withoutUnderscores(value);
  return plain !== null && FLOAT.test(plain) ? Number(plain) : undefined;
}
