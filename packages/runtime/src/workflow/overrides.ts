import { paramKindOf, type ParamSpec } from '@sa3/nodes';
import type { NodeLookup } from './catalogue.js';
import type { Problem } from './problems.js';
import type { Workflow } from './types.js';

export interface ParamOverride {
  readonly node: string;
  readonly param: string;
  readonly value: unknown;
}

/** Parses `node.param=value` as typed on a command line; the value stays text until coerced. */
export function parseOverride(text: string): ParamOverride | string {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(text);
  if (!match) return `"${text}" is not of the form node.param=value`;
  return { node: match[1]!, param: match[2]!, value: match[3]! };
}

/** Turns command-line text into the param's type; what cannot be turned is left for the validator to report. */
function coerce(spec: ParamSpec | undefined, value: unknown): unknown {
  if (typeof value !== 'string' || !spec) return value;
  return paramKindOf(spec).parse(spec, value);
}

const LISTED_NODES = 20;

/** Node ids for a message: all of a small workflow's, the first few of a large one's. */
function listed(ids: readonly string[]): string {
  if (ids.length <= LISTED_NODES) return ids.join(', ');
  return `${ids.slice(0, LISTED_NODES).join(', ')} and ${ids.length - LISTED_NODES} more`;
}

export function applyOverrides(workflow: Workflow, overrides: readonly ParamOverride[], nodes: NodeLookup): { workflow: Workflow; problems: Problem[] } {
  const problems: Problem[] = [];
  const byId = new Map(workflow.nodes.map((n) => [n.id, { ...n, params: { ...n.params } }]));
  for (const override of overrides) {
    const node = byId.get(override.node);
    if (!node) {
      problems.push({
        code: 'missing_node',
        message: `--set ${override.node}.${override.param}: there is no node "${override.node}"; nodes are ${listed([...byId.keys()])}`,
        node: override.node,
        param: override.param,
      });
      continue;
    }
    const params = nodes.get(node.type)?.params;
    if (params && !Object.hasOwn(params, override.param)) {
      problems.push({
        code: 'unknown_param',
        message: `--set ${override.node}.${override.param}: node "${override.node}" (${node.type}) has no param "${override.param}"; its params are ${Object.keys(params).join(', ')}`,
        node: override.node,
        param: override.param,
      });
      continue;
    }
    node.params[override.param] = coerce(params?.[override.param], override.value);
  }
  return { workflow: { ...workflow, nodes: workflow.nodes.map((n) => byId.get(n.id)!) }, problems };
}
