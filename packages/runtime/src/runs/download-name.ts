/** Letters, digits, dot, dash and underscore survive; any other run of characters becomes one underscore. */
function sanitize(part: string): string {
  return part
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 60);
}

/** `{workflow}-{node}-{seed}.{ext}` (without the seed when no seed led to the file), safe in a Content-Disposition header and on any disk. */
export function downloadName(workflow: string | null, node: string, seed: number | undefined, extension: string): string {
  const parts = [sanitize(workflow ?? '') || 'workflow', sanitize(node) || 'output', ...(seed === undefined ? [] : [String(seed)])];
  const ext = sanitize(extension.replace(/^\./, '')).toLowerCase();
  return `${parts.join('-')}${ext ? `.${ext}` : ''}`;
}

/** Names made unique within one run: a second file of the same name gets -2, then -3, before its extension. */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let n = 2; seen.has(candidate); n++) candidate = `${stem}-${n}${ext}`;
    seen.add(candidate);
    return candidate;
  });
}
