import type { EmittedFile, NodeServices } from '@sa3/nodes';
import { abortError, untilAborted } from './cancellation.js';
import type { DeviceQueues } from './device-queue.js';
import type { PlannedNode } from './planned-node.js';
import type { NodeOutputs } from './result-cache.js';
import type { RunEmitter } from './run-events.js';

export interface InvokeContext {
  readonly services: NodeServices;
  readonly queues: DeviceQueues;
  readonly signal: AbortSignal;
  readonly emitter: RunEmitter;
}

export interface Invocation {
  readonly outputs: NodeOutputs;
  /** The files the node handed over for writing. */
  readonly files: readonly EmittedFile[];
}

/** Calls a node's run(): model work waits for its device's queue, and a stopped run stops waiting for the node. */
export async function invokeNode(node: PlannedNode, inputs: Readonly<Record<string, unknown>>, context: InvokeContext): Promise<Invocation> {
  const { services, queues, signal, emitter } = context;
  const files: EmittedFile[] = [];
  const body = async (): Promise<NodeOutputs> => {
    emitter.emit({ type: 'node-start', node: node.id, nodeType: node.definition.type });
    return node.definition.run({
      nodeId: node.id,
      params: node.params as never,
      inputs: inputs as never,
      services,
      signal,
      progress: (step, total, phase) => emitter.emit({ type: 'node-progress', node: node.id, step, total, ...(phase ? { phase } : {}) }),
      emitFile: (file) => files.push(file),
    });
  };
  const work = node.definition.usesModel ? queues.run(services.engine?.device ?? 'cpu', signal, body) : body();
  const outputs = await untilAborted(work, signal);
  if (signal.aborted) throw abortError();
  return { outputs, files };
}
