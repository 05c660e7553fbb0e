import { getNodeDefinition } from '@sa3/nodes';
import type { Workflow, WorkflowNode } from './types.js';

// The same text as the runtime's serializeWorkflow, byte for byte (a cross-package test checks
// it on every example), so a workflow saved here and one saved by `sa3` are interchangeable.

const LINE_WIDTH = 100;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function pretty(value: unknown, indent: string, alwaysOpen: boolean): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const flat = inline(value);
  if (!alwaysOpen && indent.length + flat.length <= LINE_WIDTH) return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + pretty(v, inner, false)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner, false)}`).join(',\n')}\n${indent}}`;
}

/** Catalogue params in schema order first, then any the catalogue does not know, as they came. */
function orderedParams(node: WorkflowNode): Record<string, unknown> {
  const known = Object.keys(getNodeDefinition(node.type)?.params ?? {});
  const names = [...known.filter((n) => Object.hasOwn(node.params, n)), ...Object.keys(node.params).filter((n) => !known.includes(n))];
  return Object.fromEntries(names.map((n) => [n, node.params[n]]));
}

export function canonicalWorkflow(workflow: Workflow): Workflow {
  return {
    format: workflow.format,
    version: workflow.version,
    name: workflow.name,
    description: workflow.description,
    nodes: workflow.nodes.map((node) => ({
      id: node.id,
      type: node.type,
      typeVersion: node.typeVersion,
      title: node.title,
      params: orderedParams(node),
      position: node.position,
    })),
    connections: workflow.connections.map((c) => ({ from: c.from, to: c.to })),
    models: workflow.models,
    meta: workflow.meta,
  } as Workflow;
}

/** The workflow file text: canonical key order, two-space indent, short values inline, final newline. */
export function serializeWorkflow(workflow: Workflow): string {
  const canonical = canonicalWorkflow(workflow);
  const entries = Object.entries(canonical).filter(([, v]) => v !== undefined);
  const body = entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${pretty(v, '  ', k === 'nodes' || k === 'connections')}`);
  return `{\n${body.join(',\n')}\n}\n`;
}
