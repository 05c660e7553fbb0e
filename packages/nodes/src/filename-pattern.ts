/** Tokens a save node's file name may use; each expands to a value made safe for file names. */
export const filenameTokens = ['workflow', 'node', 'run', 'date', 'time', 'seed', 'ext'] as const;
export type FilenameToken = (typeof filenameTokens)[number];

const tokenPattern = /\{([a-z]+)\}/g;

/** Why a pattern is unusable, or null: absolute, climbing out with "..", or naming an unknown token. */
export function filenamePatternProblem(pattern: string): string | null {
  for (const match of pattern.matchAll(tokenPattern)) {
    if (!(filenameTokens as readonly string[]).includes(match[1]!)) {
      return `uses the unknown token {${match[1]}}; known tokens are ${filenameTokens.map((t) => `{${t}}`).join(', ')}`;
    }
  }
  if (/^[\\/]/.test(pattern) || /^[a-zA-Z]:/.test(pattern)) return 'is an absolute path; it must be a name inside the output directory';
  const segments = pattern.split(/[\\/]/);
  if (segments.includes('..')) return 'climbs out of the output directory with ".."; it must stay inside it';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty path segment';
  if (pattern.includes('\0')) return 'contains a NUL character';
  return null;
}

function safeSegment(value: string): string {
  const cleaned = value.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '');
  return cleaned === '' ? 'untitled' : cleaned.slice(0, 80);
}

/** Expands the tokens; the caller has checked the pattern with filenamePatternProblem. */
export function expandFilename(pattern: string, values: Readonly<Record<FilenameToken, string>>): string {
  return pattern.replace(tokenPattern, (_, token: FilenameToken) => safeSegment(values[token]));
}
