import { describe, isObject } from './json-values.js';
import type { WorkflowProblem } from './problems.js';
import type { WorkflowConnection } from './types.js';

function parseEnd(value: unknown): readonly [string, string] | null {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string' && v !== '') ? [value[0], value[1]] : null;
}

/** The wire at `connections[index]`, or null when it lacks a usable end. */
export function parseConnection(raw: unknown, index: number, problems: WorkflowProblem[]): WorkflowConnection | null {
  const path = `/connections/${index}`;
  if (!isObject(raw)) {
    problems.push({
      code: 'invalid_structure',
      message: `wire #${index + 1} must be an object { "from": [node, output], "to": [node, input] }, got ${describe(raw)}`,
      path,
    });
    return null;
  }
  const from = parseEnd(raw.from);
  const to = parseEnd(raw.to);
  if (!from || !to) {
    problems.push({ code: 'invalid_structure', message: `wire #${index + 1} needs "from": [node id, output name] and "to": [node id, input name]`, path });
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'from' && key !== 'to')
      problems.push({ code: 'unknown_field', message: `wire #${index + 1} has the unknown field "${key}"`, path: `${path}/${key}` });
  }
  return { from, to };
}
