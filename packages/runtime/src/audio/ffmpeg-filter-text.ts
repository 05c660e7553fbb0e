/**
 * A path as the value of a filter option inside a -af filter graph: escaped once for the option
 * parser and once more for the graph parser, so drive letters, quotes and commas stay part of it.
 */
export function filterOptionPath(path: string): string {
  const option = path.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
