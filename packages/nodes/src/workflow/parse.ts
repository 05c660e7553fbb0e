import { jsonErrorMessage } from './json-error.js';
import { MAX_WORKFLOW_CONNECTIONS, MAX_WORKFLOW_NODES } from './json-limits.js';
import { scanJson } from './json-scan.js';
import { describe, isObject } from './json-values.js';
import { parseConnection } from './parse-connection.js';
import { parseNode } from './parse-node.js';
import type { WorkflowProblem } from './problems.js';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow, type WorkflowConnection, type WorkflowNode } from './types.js';

const topLevelFields = ['format', 'version', 'name', 'description', 'nodes', 'connections', 'models', 'meta'];

/**
 * Turns file text into a Workflow, checking its shape only (node types and wires are the
 * validator's job). Every problem is collected; nodes and wires with a bad shape are left out
 * of the result so later stages can still look at the rest.
 */
export function parseWorkflow(file: string): { workflow: Workflow | null; problems: WorkflowProblem[] } {
  // Editors on Windows save UTF-8 with a byte order mark; it is not part of the JSON.
  const text = file.startsWith('\uFEFF') ? file.slice(1) : file;
  if (text.trim() === '') return { workflow: null, problems: [{ code: 'invalid_json', message: 'the file is empty; a workflow is a JSON object', path: '' }] };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    return { workflow: null, problems: [{ code: 'invalid_json', message: jsonErrorMessage(text, error), path: '' }] };
  }
  // Too deep, a key twice, a number no double holds: what JSON.parse read is not what the file
  // says, so checking it further would only report the parser's guesses (a 1e309 read as null).
  const problems = scanJson(text);
  if (problems.length > 0) return { workflow: null, problems };
  if (!isObject(root))
    return { workflow: null, problems: [{ code: 'invalid_structure', message: `the file holds ${describe(root)}; a workflow is a JSON object`, path: '' }] };

  if (root.format !== WORKFLOW_FORMAT) {
    problems.push({
      code: 'invalid_format',
      message: `"format" is ${JSON.stringify(root.format)}; a workflow file says "format": "${WORKFLOW_FORMAT}"`,
      path: '/format',
    });
  }
  if (root.version !== WORKFLOW_VERSION) {
    const version = root.version;
    const newer = typeof version === 'number' && version > WORKFLOW_VERSION;
    problems.push({
      code: 'unsupported_version',
      message: newer
        ? `"version" is ${version}, newer than this runtime reads (${WORKFLOW_VERSION}); update sa3-workflows`
        : `"version" is ${JSON.stringify(root.version)}; this runtime reads version ${WORKFLOW_VERSION}`,
      path: '/version',
    });
  }
  for (const key of Object.keys(root)) {
    if (!topLevelFields.includes(key))
      problems.push({
        code: 'unknown_field',
        message: `unknown top-level field "${key}" (known: ${topLevelFields.join(', ')}; tools may keep their own data under "meta")`,
        path: `/${key}`,
      });
  }
  for (const key of ['name', 'description'] as const) {
    if (root[key] !== undefined && typeof root[key] !== 'string')
      problems.push({ code: 'invalid_structure', message: `"${key}" must be a string, got ${describe(root[key])}`, path: `/${key}` });
  }
  if (root.models !== undefined && !isObject(root.models))
    problems.push({
      code: 'invalid_structure',
      message: `"models" must be an object mapping model ids to { "sha256": ... }, got ${describe(root.models)}`,
      path: '/models',
    });
  if (root.meta !== undefined && !isObject(root.meta))
    problems.push({ code: 'invalid_structure', message: `"meta" must be an object, got ${describe(root.meta)}`, path: '/meta' });

  const nodes: WorkflowNode[] = [];
  if (!Array.isArray(root.nodes)) {
    problems.push({
      code: 'invalid_structure',
      message: `"nodes" must be an array of nodes, got ${root.nodes === undefined ? 'nothing' : describe(root.nodes)}`,
      path: '/nodes',
    });
  } else if (root.nodes.length > MAX_WORKFLOW_NODES) {
    problems.push({
      code: 'too_many_nodes',
      message: `the workflow has ${root.nodes.length} nodes; sa3 runs workflows of at most ${MAX_WORKFLOW_NODES}`,
      path: '/nodes',
    });
    return { workflow: null, problems };
  } else {
    root.nodes.forEach((raw, index) => {
      const node = parseNode(raw, index, problems);
      if (node) nodes.push(node);
    });
  }

  const connections: WorkflowConnection[] = [];
  if (root.connections !== undefined && !Array.isArray(root.connections)) {
    problems.push({ code: 'invalid_structure', message: `"connections" must be an array of wires, got ${describe(root.connections)}`, path: '/connections' });
  } else if (Array.isArray(root.connections) && root.connections.length > MAX_WORKFLOW_CONNECTIONS) {
    problems.push({
      code: 'too_many_connections',
      message: `the workflow has ${root.connections.length} wires; sa3 runs workflows of at most ${MAX_WORKFLOW_CONNECTIONS}`,
      path: '/connections',
    });
    return { workflow: null, problems };
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
