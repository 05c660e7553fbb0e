/**
 * An absolute path on the server's disk: a "/" that starts a word (not one inside a URL such as
 * http://host/a/b) followed by at least one more folder.
 */
const ABSOLUTE_PATH = /(?<![\w:/.%-])\/(?:[^\s/'"`]+\/)+([^\s/'"`,;:)]+)/g;

/** Text for clients (errors, logs) with every absolute server path cut down to its file name. */
export function scrubPaths(text: string): string {
  return text.replace(ABSOLUTE_PATH, '$1');
}
