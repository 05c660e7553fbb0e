import { describe, expect, it } from 'vitest';
import { pageSizeOf, paginate, type Page } from '../../../src/server/replicate/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => `k${9 - i}`); // newest first: k9 ... k3
const link = (cursor: string) => `http://h/v1/x?cursor=${cursor}`;
const cursorOf = (url: string | null) => (url === null ? undefined : new URL(url).searchParams.get('cursor')!);

function page(cursor: string | undefined, size = 3): Page<string> {
  const result = paginate(items, (k) => k, cursor, link, size);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('cursor pagination', () => {
  it('next links walk every item once, in order; previous links walk back to the same pages', () => {
    const first = page(undefined);
    expect(first).toMatchObject({ results: ['k9', 'k8', 'k7'], previous: null });
    const second = page(cursorOf(first.next));
    expect(second.results).toEqual(['k6', 'k5', 'k4']);
    const third = page(cursorOf(second.next));
    expect(third).toMatchObject({ results: ['k3'], next: null });
    expect(page(cursorOf(third.previous)).results).toEqual(['k6', 'k5', 'k4']);
    expect(page(cursorOf(second.previous))).toEqual(first);
  });

  it('a page still holds its place when newer items arrive before it is followed', () => {
    const first = page(undefined);
    const grown = ['k99', ...items];
    const next = paginate(grown, (k) => k, cursorOf(first.next), link, 3);
    expect(next).toMatchObject({ results: ['k6', 'k5', 'k4'] });
  });

  it('one page when everything fits; a cursor not made here is refused with a sentence', () => {
    expect(page(undefined, 100)).toEqual({ next: null, previous: null, results: items });
    expect(paginate(items, (k) => k, 'garbage', link)).toEqual({
      error: 'the cursor "garbage" is not one this server gave; follow the next and previous links of a page',
    });
    expect(paginate(items, (k) => k, Buffer.from('["sideways","k5"]').toString('base64url'), link)).toHaveProperty('error');
  });

  it('page_size is 1-100', () => {
    expect(pageSizeOf(undefined)).toBe(100);
    expect(pageSizeOf('7')).toBe(7);
    for (const bad of ['0', '101', '2.5', '-1', 'x'])
      expect(pageSizeOf(bad)).toEqual({ error: `page_size must be a whole number from 1 to 100, got "${bad}"` });
  });
});
