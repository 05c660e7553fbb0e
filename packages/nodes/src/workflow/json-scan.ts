import { MAX_JSON_DEPTH } from './json-limits.js';
import type { WorkflowProblem } from './problems.js';
import { LineTracker } from './text-position.js';

interface Container {
  readonly kind: 'object' | 'array';
  readonly keys: Set<string>;
  /** The key or index of the value being read inside this container. */
  at: string;
  expectKey: boolean;
}

/**
 * What JSON.parse accepts but a workflow file must not hold: nesting beyond MAX_JSON_DEPTH,
 * a key twice in one object (JSON.parse silently keeps the last), and numbers too large for a
 * double (JSON.parse turns 1e309 into Infinity). `text` must already be valid JSON. The walk
 * is a loop over the characters, so no input can exhaust the stack, and finding the line of each
 * problem does not walk the text again.
 */
export function scanJson(text: string): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const stack: Container[] = [];
  const lines = new LineTracker(text);
  const pointer = () => stack.map((c) => `/${c.at.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '{' || ch === '[') {
      if (stack.length === MAX_JSON_DEPTH) {
        problems.push({
          code: 'too_deep',
          message: `the file nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels (at ${lines.at(i)}); a workflow needs far fewer`,
          path: pointer(),
        });
        return problems;
      }
      stack.push({ kind: ch === '{' ? 'object' : 'array', keys: new Set(), at: ch === '{' ? '' : '0', expectKey: ch === '{' });
      i++;
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      i++;
    } else if (ch === ',') {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') top.expectKey = true;
      else if (top) top.at = String(Number(top.at) + 1);
      i++;
    } else if (ch === '"') {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end)) as string;
        top.at = key;
        if (top.keys.has(key)) {
          problems.push({
            code: 'duplicate_key',
            message: `the key ${JSON.stringify(key)} appears twice in one object (the second at ${lines.at(i)}); give each key once`,
            path: pointer(),
          });
        }
        top.keys.add(key);
        top.expectKey = false;
      }
      i = end;
    } else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      let end = i + 1;
      while (end < text.length && /[0-9eE+.-]/.test(text[end]!)) end++;
      const written = text.slice(i, end);
      if (!Number.isFinite(Number(written))) {
        problems.push({
          code: 'number_out_of_range',
          message: `the number ${written} at ${lines.at(i)} is beyond the largest a JSON number can hold here (about 1.8e308)`,
          path: pointer(),
        });
      }
      i = end;
    } else {
      i++;
    }
  }
  return problems;
}

/** The offset just past the string literal that starts at `start` (a quote). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '"') return i + 1;
    else i++;
  }
  return i;
}
