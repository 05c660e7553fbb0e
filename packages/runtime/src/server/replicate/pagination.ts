/** A page as the hosted API's list endpoints answer it: absolute links to the pages beside it. */
export interface Page<T> {
  readonly next: string | null;
  readonly previous: string | null;
  readonly results: T[];
}

/** The hosted API's page size. */
export const PAGE_SIZE = 100;

interface Cursor {
  readonly key: string;
  readonly direction: 'next' | 'previous';
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction, cursor.key])).toString('base64url');
}

function decodeCursor(text: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [direction, key] = value as unknown[];
    if ((direction === 'next' || direction === 'previous') && typeof key === 'string') return { direction, key };
  } catch {
    /* not one of ours */
  }
  return null;
}

/**
 * One page of `items` (ordered newest first, each with a unique sort key that falls as the list
 * goes on), from an opaque cursor: "next" pages continue after the key, "previous" pages end
 * just before it. A cursor that is not one this server gave is refused with a sentence.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  cursorText: string | undefined,
  link: (cursor: string) => string,
  pageSize = PAGE_SIZE,
): Page<T> | { error: string } {
  let start = 0;
  if (cursorText !== undefined) {
    const cursor = decodeCursor(cursorText);
    if (!cursor) return { error: `the cursor "${cursorText.slice(0, 60)}" is not one this server gave; follow the next and previous links of a page` };
    if (cursor.direction === 'next') {
      const after = items.findIndex((item) => keyOf(item) < cursor.key);
      start = after < 0 ? items.length : after;
    } else {
      const before = items.findIndex((item) => keyOf(item) <= cursor.key);
      start = Math.max(0, (before < 0 ? items.length : before) - pageSize);
    }
  }
  const results = items.slice(start, start + pageSize);
  const last = results.at(-1);
  const first = results[0];
  return {
    next: last !== undefined && start + results.length < items.length ? link(encodeCursor({ direction: 'next', key: keyOf(last) })) : null,
    previous: first !== undefined && start > 0 ? link(encodeCursor({ direction: 'previous', key: keyOf(first) })) : null,
    results,
  };
}

/** A page size from ?page_size= (1-100), an extension of the hosted API for scripts and tests. */
export function pageSizeOf(text: string | undefined): number | { error: string } {
  if (text === undefined) return PAGE_SIZE;
  const size = Number(text);
  return /^\d+$/.test(text) && size >= 1 && size <= PAGE_SIZE
    ? size
    : { error: `page_size must be a whole number from 1 to ${PAGE_SIZE}, got "${text.slice(0, 20)}"` };
}
