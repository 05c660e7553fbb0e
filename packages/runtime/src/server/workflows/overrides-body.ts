import type { ParamOverride } from '../../workflow/index.js';

/** The overrides of POST /api/runs: { "node.param": value } or a list of { node, param, value }; a string says what is wrong. */
export function overridesFrom(value: unknown): ParamOverride[] | string {
  if (value === undefined) return [];
  if (Array.isArray(value)) {
    const ok = value.every((o: unknown) => {
      const entry = o as { node?: unknown; param?: unknown } | null;
      return typeof entry === 'object' && entry !== null && typeof entry.node === 'string' && typeof entry.param === 'string';
    });
    return ok ? (value as ParamOverride[]) : 'overrides must be a list of { "node", "param", "value" }';
  }
  if (typeof value === 'object' && value !== null) {
    const out: ParamOverride[] = [];
    for (const [key, v] of Object.entries(value)) {
      const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)$/.exec(key);
      if (!match) return `override key "${key}" is not of the form node.param`;
      out.push({ node: match[1]!, param: match[2]!, value: v });
    }
    return out;
  }
  return 'overrides must be an object { "node.param": value } or a list';
}
