import type { Problem } from './problems.js';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow, type WorkflowConnection, type WorkflowNode } from './types.js';

const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const topLevelFields = ['format', 'version', 'name', 'description', 'nodes', 'connections', 'models', 'meta'];
const nodeFields = ['id', 'type', 'typeVersion', 'params', 'position', 'title'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function jsonErrorMessage(text: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(detail);
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    return `the file is not valid JSON: ${detail.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
  }
  return `the file is not valid JSON: ${detail}`;
}

/**
 * Turns file text into a Workflow, checking its shape only (node types and wires are the
 * validator's job). Every problem is collected; nodes and wires with a bad shape are left out
 * of the result so later stages can still look at the rest.
 */
export function parseWorkflow(text: string): { workflow: Workflow | null; problems: Problem[] } {
  const problems: Problem[] = [];
  if (text.trim() === '') return { workflow: null, problems: [{ code: 'invalid_json', message: 'the file is empty; a workflow is a JSON object', path: '' }] };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return { workflow: null, problems: [{ code: 'invalid_json', message: jsonErrorMessage(text, error), path: '' }] };
  }
  if (!isObject(root)) return { workflow: null, problems: [{ code: 'invalid_structure', message: `the file holds ${describe(root)}; a workflow is a JSON object`, path: '' }] };

  if (root.format !== WORKFLOW_FORMAT) {
    problems.push({ code: 'invalid_format', message: `"format" is ${JSON.stringify(root.format)}; a workflow file says "format": "${WORKFLOW_FORMAT}"`, path: '/format' });
  }
  if (root.version !== WORKFLOW_VERSION) {
    const newer = typeof root.version === 'number' && root.version > WORKFLOW_VERSION;
    problems.push({
      code: 'unsupported_version',
      message: newer
        ? `"version" is ${root.version}, newer than this runtime reads (${WORKFLOW_VERSION}); update sa3-workflows`
        : `"version" is ${JSON.stringify(root.version)}; this runtime reads version ${WORKFLOW_VERSION}`,
      path: '/version',
    });
  }
  for (const key of Object.keys(root)) {
    if (!topLevelFields.includes(key)) problems.push({ code: 'unknown_field', message: `unknown top-level field "${key}" (known: ${topLevelFields.join(', ')}; tools may keep their own data under "meta")`, path: `/${key}` });
  }
  for (const key of ['name', 'description'] as const) {
    if (root[key] !== undefined && typeof root[key] !== 'string') problems.push({ code: 'invalid_structure', message: `"${key}" must be a string, got ${describe(root[key])}`, path: `/${key}` });
  }
  if (root.models !== undefined && !isObject(root.models)) problems.push({ code: 'invalid_structure', message: `"models" must be an object mapping model ids to { "sha256": ... }, got ${describe(root.models)}`, path: '/models' });
  if (root.meta !== undefined && !isObject(root.meta)) problems.push({ code: 'invalid_structure', message: `"meta" must be an object, got ${describe(root.meta)}`, path: '/meta' });

  const nodes: WorkflowNode[] = [];
  if (!Array.isArray(root.nodes)) {
    problems.push({ code: 'invalid_structure', message: `"nodes" must be an array of nodes, got ${root.nodes === undefined ? 'nothing' : describe(root.nodes)}`, path: '/nodes' });
  } else {
    root.nodes.forEach((raw, index) => {
      const node = parseNode(raw, index, problems);
      if (node) nodes.push(node);
    });
  }

  const connections: WorkflowConnection[] = [];
  if (root.connections !== undefined && !Array.isArray(root.connections)) {
    problems.push({ code: 'invalid_structure', message: `"connections" must be an array of wires, got ${describe(root.connections)}`, path: '/connections' });
  } else {
    (root.connections ?? []).forEach((raw: unknown, index: number) => {
      const connection = parseConnection(raw, index, problems);
      if (connection) connections.push(connection);
    });
  }

  const workflow: Workflow = {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    ...(typeof root.name === 'string' ? { name: root.name } : {}),
    ...(typeof root.description === 'string' ? { description: root.description } : {}),
    nodes,
    connections,
    ...(isObject(root.models) ? { models: root.models as Workflow['models'] } : {}),
    ...(isObject(root.meta) ? { meta: root.meta } : {}),
  };
  return { workflow, problems };
}

function parseNode(raw: unknown, index: number, problems: Problem[]): WorkflowNode | null {
  const path = `/nodes/${index}`;
  if (!isObject(raw)) {
    problems.push({ code: 'invalid_structure', message: `node #${index + 1} must be an object, got ${describe(raw)}`, path });
    return null;
  }
  const id = raw.id;
  if (typeof id !== 'string' || !NODE_ID.test(id)) {
    problems.push({ code: 'invalid_structure', message: `node #${index + 1} has the id ${JSON.stringify(id)}; an id is 1-64 letters, digits, "_" or "-"`, path: `${path}/id` });
    return null;
  }
  const where = `node "${id}"`;
  let ok = true;
  if (typeof raw.type !== 'string' || raw.type === '') {
    problems.push({ code: 'invalid_structure', message: `${where} needs a "type" string such as "audio.load"`, node: id, path: `${path}/type` });
    ok = false;
  }
  if (!Number.isInteger(raw.typeVersion) || (raw.typeVersion as number) < 1) {
    problems.push({ code: 'invalid_structure', message: `${where} has "typeVersion" ${JSON.stringify(raw.typeVersion)}; it must be a whole number from 1`, node: id, path: `${path}/typeVersion` });
    ok = false;
  }
  if (raw.params !== undefined && !isObject(raw.params)) {
    problems.push({ code: 'invalid_structure', message: `${where} has "params" that is ${describe(raw.params)}; params are an object of named values`, node: id, path: `${path}/params` });
    ok = false;
  }
  const position = raw.position;
  const validPosition = Array.isArray(position) && position.length === 2 && position.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (position !== undefined && !validPosition) {
    problems.push({ code: 'invalid_structure', message: `${where} has "position" ${JSON.stringify(position)}; it must be [x, y] numbers`, node: id, path: `${path}/position` });
  }
  if (raw.title !== undefined && typeof raw.title !== 'string') {
    problems.push({ code: 'invalid_structure', message: `${where} has a "title" that is not a string`, node: id, path: `${path}/title` });
  }
  for (const key of Object.keys(raw)) {
    if (!nodeFields.includes(key)) problems.push({ code: 'unknown_field', message: `${where} has the unknown field "${key}" (known: ${nodeFields.join(', ')})`, node: id, path: `${path}/${key}` });
  }
  if (!ok) return null;
  return {
    id,
    type: raw.type as string,
    typeVersion: raw.typeVersion as number,
    params: (raw.params as Record<string, unknown> | undefined) ?? {},
    ...(validPosition ? { position: [position[0], position[1]] as const } : {}),
    ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
  };
}

function parseEnd(value: unknown): readonly [string, string] | null {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string' && v !== '') ? [value[0], value[1]] : null;
}

function parseConnection(raw: unknown, index: number, problems: Problem[]): WorkflowConnection | null {
  const path = `/connections/${index}`;
  if (!isObject(raw)) {
    problems.push({ code: 'invalid_structure', message: `wire #${index + 1} must be an object { "from": [node, output], "to": [node, input] }, got ${describe(raw)}`, path });
    return null;
  }
  const from = parseEnd(raw.from);
  const to = parseEnd(raw.to);
  if (!from || !to) {
    problems.push({ code: 'invalid_structure', message: `wire #${index + 1} needs "from": [node id, output name] and "to": [node id, input name]`, path });
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (key !== 'from' && key !== 'to') problems.push({ code: 'unknown_field', message: `wire #${index + 1} has the unknown field "${key}"`, path: `${path}/${key}` });
  }
  return { from, to };
}
