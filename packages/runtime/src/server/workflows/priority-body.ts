import type { RunPriority } from '../../executor/index.js';

const PRIORITIES: readonly RunPriority[] = ['interactive', 'batch'];

/** The "priority" of a run request: absent (interactive), "interactive" or "batch"; else a sentence naming the field. */
export function priorityFrom(value: unknown): { readonly priority?: RunPriority } | { readonly error: string } {
  if (value === undefined) return {};
  if (typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value)) return { priority: value as RunPriority };
  return {
    error: `"priority" must be "interactive" (the default: ahead of batch runs and API predictions) or "batch", got ${JSON.stringify(value) ?? typeof value}`,
  };
}
