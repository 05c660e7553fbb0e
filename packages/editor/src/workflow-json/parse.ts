import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow, type WorkflowConnection, type WorkflowNode } from './types.js';

export class WorkflowParseError extends Error {
  override name = 'WorkflowParseError';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPair(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string';
}

/**
 * Reads a workflow file for the editor: the structure must be right, but node types, params and
 * wires are not judged here (unknown types become placeholders; the server validates on run).
 */
export function parseWorkflow(text: string): Workflow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WorkflowParseError(`the file is not valid JSON: ${(error as Error).message}`);
  }
  if (!isRecord(value)) throw new WorkflowParseError('the file is not a workflow: it holds no JSON object');
  if (value.format !== WORKFLOW_FORMAT) throw new WorkflowParseError(`the file is not a workflow: "format" should be "${WORKFLOW_FORMAT}"`);
  if (value.version !== WORKFLOW_VERSION) throw new WorkflowParseError(`the workflow has version ${JSON.stringify(value.version)}; this editor reads version ${WORKFLOW_VERSION}`);
  if (!Array.isArray(value.nodes)) throw new WorkflowParseError('the workflow has no "nodes" list');
  if (!Array.isArray(value.connections)) throw new WorkflowParseError('the workflow has no "connections" list');
  const nodes = value.nodes.map((node, i): WorkflowNode => {
    if (!isRecord(node) || typeof node.id !== 'string' || typeof node.type !== 'string') throw new WorkflowParseError(`node ${i + 1} needs a string "id" and "type"`);
    if (typeof node.typeVersion !== 'number') throw new WorkflowParseError(`node "${node.id}" needs a numeric "typeVersion"`);
    const position = Array.isArray(node.position) && node.position.length === 2 && node.position.every((n) => typeof n === 'number') ? (node.position as [number, number]) : undefined;
    return {
      id: node.id,
      type: node.type,
      typeVersion: node.typeVersion,
      params: isRecord(node.params) ? node.params : {},
      ...(position ? { position } : {}),
      ...(typeof node.title === 'string' ? { title: node.title } : {}),
    };
  });
  const ids = new Set<string>();
  for (const node of nodes) {
    if (ids.has(node.id)) throw new WorkflowParseError(`two nodes have the id "${node.id}"`);
    ids.add(node.id);
  }
  const connections = value.connections.map((c, i): WorkflowConnection => {
    if (!isRecord(c) || !isPair(c.from) || !isPair(c.to)) throw new WorkflowParseError(`connection ${i + 1} needs "from" and "to" as [node, port] pairs`);
    return { from: c.from, to: c.to };
  });
  return {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    ...(typeof value.name === 'string' ? { name: value.name } : {}),
    ...(typeof value.description === 'string' ? { description: value.description } : {}),
    nodes,
    connections,
    ...(isRecord(value.models) ? { models: value.models as Workflow['models'] } : {}),
    ...(isRecord(value.meta) ? { meta: value.meta } : {}),
  };
}
