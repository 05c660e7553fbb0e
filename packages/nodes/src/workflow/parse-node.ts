import { describe, isObject } from './json-values.js';
import type { WorkflowProblem } from './problems.js';
import type { WorkflowNode } from './types.js';

const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const nodeFields = ['id', 'type', 'typeVersion', 'params', 'position', 'title'];

/** The node at `nodes[index]`, or null when its id, type, typeVersion or params are unusable. */
export function parseNode(raw: unknown, index: number, problems: WorkflowProblem[]): WorkflowNode | null {
  const path = `/nodes/${index}`;
  if (!isObject(raw)) {
    problems.push({ code: 'invalid_structure', message: `node #${index + 1} must be an object, got ${describe(raw)}`, path });
    return null;
  }
  const id = raw.id;
  if (typeof id !== 'string' || !NODE_ID.test(id)) {
    problems.push({
      code: 'invalid_structure',
      message: `node #${index + 1} has the id ${JSON.stringify(id)}; an id is 1-64 letters, digits, "_" or "-"`,
      path: `${path}/id`,
    });
    return null;
  }
  const where = `node "${id}"`;
  let ok = true;
  if (typeof raw.type !== 'string' || raw.type === '') {
    problems.push({ code: 'invalid_structure', message: `${where} needs a "type" string such as "audio.load"`, node: id, path: `${path}/type` });
    ok = false;
  }
  if (!Number.isInteger(raw.typeVersion) || (raw.typeVersion as number) < 1) {
    problems.push({
      code: 'invalid_structure',
      message: `${where} has "typeVersion" ${JSON.stringify(raw.typeVersion)}; it must be a whole number from 1`,
      node: id,
      path: `${path}/typeVersion`,
    });
    ok = false;
  }
  if (raw.params !== undefined && !isObject(raw.params)) {
    problems.push({
      code: 'invalid_structure',
      message: `${where} has "params" that is ${describe(raw.params)}; params are an object of named values`,
      node: id,
      path: `${path}/params`,
    });
    ok = false;
  }
  const position = raw.position;
  const validPosition = Array.isArray(position) && position.length === 2 && position.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (position !== undefined && !validPosition) {
    problems.push({
      code: 'invalid_structure',
      message: `${where} has "position" ${JSON.stringify(position)}; it must be [x, y] numbers`,
      node: id,
      path: `${path}/position`,
    });
  }
  if (raw.title !== undefined && typeof raw.title !== 'string') {
    problems.push({ code: 'invalid_structure', message: `${where} has a "title" that is not a string`, node: id, path: `${path}/title` });
  }
  for (const key of Object.keys(raw)) {
    if (!nodeFields.includes(key))
      problems.push({
        code: 'unknown_field',
        message: `${where} has the unknown field "${key}" (known: ${nodeFields.join(', ')})`,
        node: id,
        path: `${path}/${key}`,
      });
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
