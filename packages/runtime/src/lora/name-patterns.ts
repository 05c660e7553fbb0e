/**
 * Layer-name patterns as the official code matches them: a pattern matches a name that contains
 * it, and "[a-b]" expands to every whole number from a to b ("layers.[0-3]." -> layers.0. ...).
 */
const RANGE = /\[(\d+)-(\d+)\]/g;

export function expandPattern(pattern: string): string[] {
  let expanded = [''];
  let last = 0;
  for (const match of pattern.matchAll(RANGE)) {
    const literal = pattern.slice(last, match.index);
    const from = Number(match[1]);
    const to = Number(match[2]);
    const step = to >= from ? 1 : -1;
    const numbers: string[] = [];
    for (let n = from; step > 0 ? n <= to : n >= to; n += step) numbers.push(String(n));
    expanded = expanded.flatMap((prefix) => numbers.map((n) => prefix + literal + n));
    last = match.index + match[0].length;
  }
  const tail = pattern.slice(last);
  return expanded.map((prefix) => prefix + tail);
}

/** include/exclude of lora_config: any pattern (trimmed, expanded) contained in the name. */
export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => expandPattern(pattern.trim()).some((p) => name.includes(p)));
}

/** A run-time layer filter: comma-separated, lowercased, trimmed patterns; true when the name matches one. */
export function matchesLayerFilter(name: string, filter: string): boolean {
  const patterns = filter
    .split(',')
    .map((p) => p.toLowerCase().trim())
    .filter((p) => p.length > 0);
  return patterns.some((pattern) => expandPattern(pattern).some((p) => name.includes(p)));
}
