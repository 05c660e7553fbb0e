import type { Workflow } from '../workflow/index.js';

// As audio.load reads them: "upload:" (any case) and an id of letters, digits, "_" or "-" with at most one extension.
const UPLOAD_SOURCE = /^upload:([A-Za-z0-9_-]+(?:\.[a-z0-9]+)?)$/i;

/** The ids of the uploaded files a workflow's params name (`upload:<id>`), each once. */
export function uploadIdsOf(workflow: Workflow): string[] {
  const ids = new Set<string>();
  for (const node of workflow.nodes) {
    for (const value of Object.values(node.params ?? {})) {
      const id = typeof value === 'string' ? UPLOAD_SOURCE.exec(value)?.[1] : undefined;
      if (id !== undefined) ids.add(id);
    }
  }
  return [...ids];
}
