import {
  checkNodeParams,
  duplicateIdProblems,
  missingInputs,
  nodeParamWarnings,
  oversizedParamProblems,
  type AnyNodeDefinition,
  type ParamWarningCode,
  type Problem as SharedProblem,
} from '@sa3/nodes';
import type { Problem } from './problems.js';
import type { Workflow, WorkflowNode } from './types.js';
import type { NodeLookup } from './catalogue.js';
import { findCycle } from './graph.js';

/** Something in a valid workflow that is probably not what its author meant; it runs all the same. */
export type WorkflowWarning = SharedProblem<ParamWarningCode>;

export interface ValidateOptions {
  /** Previews from the editor may run without a save node; files run headlessly may not. */
  readonly requireOutputs?: boolean;
}

function checkParams(node: WorkflowNode, definition: AnyNodeDefinition, problems: Problem[]): void {
  for (const problem of checkNodeParams(definition, node.params)) {
    const subject = problem.kind === 'unknown_param' ? `node "${node.id}" (${node.type})` : `node "${node.id}" param "${problem.param}"`;
    problems.push({ code: problem.code as Problem['code'], message: `${subject} ${problem.message}`, node: node.id, param: problem.param });
  }
}

/** Nodes of a loop shown at each end of a long one; the middle is counted, not listed. */
const LOOP_ENDS_SHOWN = 5;

/** "a -> b -> a", or for a long loop its first and last few nodes around the count of the rest. */
function loopText(cycle: readonly string[]): string {
  if (cycle.length <= 2 * LOOP_ENDS_SHOWN) return [...cycle, cycle[0]].join(' -> ');
  const hidden = cycle.length - 2 * LOOP_ENDS_SHOWN;
  return [...cycle.slice(0, LOOP_ENDS_SHOWN), `(${hidden} more nodes)`, ...cycle.slice(-LOOP_ENDS_SHOWN), cycle[0]].join(' -> ');
}

/**
 * Checks a parsed (and migrated) workflow against the node catalogue and returns every problem
 * found, never stopping at the first.
 */
export function validateWorkflow(workflow: Workflow, nodes: NodeLookup, options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = duplicateIdProblems(workflow.nodes);
  const byId = new Map<string, WorkflowNode>();
  for (const node of workflow.nodes) if (!byId.has(node.id)) byId.set(node.id, node);

  const definitions = new Map<string, AnyNodeDefinition>();
  for (const node of byId.values()) {
    const definition = nodes.get(node.type);
    if (!definition) {
      problems.push({ code: 'unknown_node_type', message: `node "${node.id}" has the unknown type "${node.type}"`, node: node.id });
      continue;
    }
    if (node.typeVersion > definition.typeVersion) {
      problems.push({
        code: 'type_version_too_new',
        message: `node "${node.id}" is ${node.type} version ${node.typeVersion}, newer than this runtime knows (${definition.typeVersion}); update sa3-workflows`,
        node: node.id,
      });
      continue;
    }
    definitions.set(node.id, definition);
    checkParams(node, definition, problems);
    problems.push(...oversizedParamProblems(node, definition.params));
  }

  const connected = new Map<string, Set<string>>();
  workflow.connections.forEach((wire, index) => {
    const [fromId, output] = wire.from;
    const [toId, input] = wire.to;
    const label = `wire #${index + 1} (${fromId}.${output} -> ${toId}.${input})`;
    const fromNode = byId.get(fromId);
    const toNode = byId.get(toId);
    if (!fromNode) problems.push({ code: 'missing_node', message: `${label} starts at node "${fromId}", which does not exist`, node: fromId });
    if (!toNode) problems.push({ code: 'missing_node', message: `${label} ends at node "${toId}", which does not exist`, node: toId });
    if (!fromNode || !toNode) return;
    const fromDef = definitions.get(fromId);
    const toDef = definitions.get(toId);
    const outSpec = fromDef?.outputs[output];
    const inSpec = toDef?.inputs[input];
    if (fromDef && !outSpec) {
      problems.push({
        code: 'unknown_output',
        message: `${label}: ${fromNode.type} has no output "${output}"; its outputs are ${Object.keys(fromDef.outputs).join(', ') || 'none'}`,
        node: fromId,
      });
    }
    if (toDef && !inSpec) {
      problems.push({
        code: 'unknown_input',
        message: `${label}: ${toNode.type} has no input "${input}"; its inputs are ${Object.keys(toDef.inputs).join(', ') || 'none'}`,
        node: toId,
        input,
      });
    }
    if (outSpec && inSpec && outSpec.type !== inSpec.type) {
      problems.push({
        code: 'return_type_mismatch',
        message: `${label} carries ${outSpec.type}, but input "${input}" of node "${toId}" takes ${inSpec.type}`,
        node: toId,
        input,
      });
    }
    const inputs = connected.get(toId) ?? new Set<string>();
    if (inputs.has(input))
      problems.push({
        code: 'input_already_connected',
        message: `${label}: input "${input}" of node "${toId}" already has a wire; an input takes one`,
        node: toId,
        input,
      });
    inputs.add(input);
    connected.set(toId, inputs);
  });

  for (const [id, definition] of definitions) {
    for (const { input, oneOf } of missingInputs(definition, connected.get(id) ?? new Set<string>())) {
      const message = oneOf
        ? `node "${id}" (${definition.type}) needs a wire into one of its inputs ${oneOf.map((n) => `"${n}"`).join(' or ')}`
        : `node "${id}" (${definition.type}) needs a wire into its "${input}" input (${definition.inputs[input]!.type})`;
      problems.push({ code: 'required_input_missing', message, node: id, input });
    }
  }

  const cycle = findCycle([...byId.keys()], workflow.connections);
  if (cycle) problems.push({ code: 'cycle', message: `the wires form a loop: ${loopText(cycle)}; a workflow must flow one way`, node: cycle[0]! });

  if (options.requireOutputs && ![...definitions.values()].some((d) => d.isOutput)) {
    problems.push({ code: 'no_outputs', message: 'the workflow has no audio.save node, so a run would produce no file' });
  }
  return problems;
}

/** Params set on a node that it will not use (an MP3 bitrate on a WAV convert): worth saying, not worth refusing. */
export function workflowWarnings(workflow: Workflow, nodes: NodeLookup): WorkflowWarning[] {
  return workflow.nodes.flatMap((node) => {
    const definition = nodes.get(node.type);
    if (!definition || node.typeVersion > definition.typeVersion) return [];
    return nodeParamWarnings(definition, node.params).map(({ code, param, message }) => ({
      code,
      message: `node "${node.id}" param "${param}" ${message}`,
      node: node.id,
      param,
    }));
  });
}
