import { getNodeDefinition } from '../catalogue/index.js';
import type { ParamSpecs } from '../params.js';
import type { Workflow, WorkflowNode } from './types.js';

/** Where the serializer finds a node type's params, to write them in schema order. */
export interface ParamOrder {
  get(type: string): { readonly params: ParamSpecs } | undefined;
}

const builtin: ParamOrder = { get: getNodeDefinition };
const LINE_WIDTH = 100;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** Short values stay on one line; longer ones open up one entry per line. */
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
function orderedParams(node: WorkflowNode, nodes: ParamOrder): Record<string, unknown> {
  const known = Object.keys(nodes.get(node.type)?.params ?? {});
  const names = [...known.filter((n) => Object.hasOwn(node.params, n)), ...Object.keys(node.params).filter((n) => !known.includes(n))];
  return Object.fromEntries(names.map((n) => [n, node.params[n]]));
}

/** Puts keys in one canonical order, so save -> load -> save gives the same bytes. */
export function canonicalWorkflow(workflow: Workflow, nodes: ParamOrder = builtin): Workflow {
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
      params: orderedParams(node, nodes),
      position: node.position,
    })),
    connections: workflow.connections.map((c) => ({ from: c.from, to: c.to })),
    models: workflow.models,
    meta: workflow.meta,
  };
}

/**
 * The workflow file text: canonical key order, two-space indent, short values inline, final
 * newline. The runtime and the editor both write with this, so their files are interchangeable.
 */
export function serializeWorkflow(workflow: Workflow, nodes: ParamOrder = builtin): string {
  const canonical = canonicalWorkflow(workflow, nodes);
  const entries = Object.entries(canonical).filter(([, v]) => v !== undefined);
  const body = entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${pretty(v, '  ', k === 'nodes' || k === 'connections')}`);
  return `{\n${body.join(',\n')}\n}\n`;
}
