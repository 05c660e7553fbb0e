import type { TimeRegion } from '@sa3/nodes';
import type { Workflow, WorkflowConnection, WorkflowNode } from '../workflow/index.js';
import type { PredictionInput } from './prediction-input.js';

function defined<T extends Record<string, unknown>>(params: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
}

/** A LoRA file applied to the model (sa3 generate --lora, sa3 serve --lora), with the sha256 the run must find. */
export interface PredictionLora {
  readonly file: string;
  readonly strength: number;
  readonly sha256?: string;
}

export interface PredictionWorkflowOptions {
  readonly filename?: string;
  readonly name?: string;
  readonly regions?: readonly TimeRegion[];
  /** Applied in this order through sa3.model -> sa3.lora -> ... -> the sampler's model input. */
  readonly loras?: readonly PredictionLora[];
}

/**
 * A prediction as a workflow: prompt (and negative prompt) -> generate, edit (init_audio) or
 * inpaint (inpaint_audio) -> convert -> save. Leaving a field out leaves the node's default,
 * so the result validates and runs exactly like a hand-made workflow. `regions` (the CLI's
 * --region, not in the hosted schema) replaces inpaint_start_seconds/inpaint_end_seconds.
 */
export function predictionWorkflow(input: PredictionInput, options: PredictionWorkflowOptions = {}): Workflow {
  const model = input.model ?? 'auto';
  const nodes: WorkflowNode[] = [{ id: 'prompt', type: 'sa3.prompt', typeVersion: 1, params: { text: input.prompt, model }, position: [0, 0] }];
  const connections: WorkflowConnection[] = [{ from: ['prompt', 'conditioning'], to: ['sampler', 'prompt'] }];
  // A negative prompt of only spaces asks for nothing to avoid, as an empty one does.
  if (input.negative_prompt?.trim()) {
    nodes.push({ id: 'negative', type: 'sa3.prompt', typeVersion: 1, params: { text: input.negative_prompt, model }, position: [0, 200] });
    connections.push({ from: ['negative', 'conditioning'], to: ['sampler', 'negative'] });
  }
  const sampling = { model, steps: input.steps, cfg_scale: input.cfg_scale, seed: input.seed };
  const source = input.inpaint_audio ?? input.init_audio;
  if (source) {
    nodes.push({ id: 'source', type: 'audio.load', typeVersion: 1, params: { source }, position: [0, 400] });
    connections.push({ from: ['source', 'audio'], to: ['sampler', 'audio'] });
  }
  if (input.inpaint_audio) {
    const { inpaint_start_seconds: start, inpaint_end_seconds: end } = input;
    // Left out, the node's default region applies.
    const regions = options.regions ?? (start === undefined && end === undefined ? undefined : [{ start: start ?? 0, end: end ?? 10 }]);
    nodes.push({
      id: 'sampler',
      type: 'sa3.inpaint',
      typeVersion: 2,
      params: defined({ ...sampling, regions, duration: input.duration }),
      position: [300, 100],
    });
  } else if (input.init_audio) {
    nodes.push({
      id: 'sampler',
      type: 'sa3.edit',
      typeVersion: 1,
      params: defined({ ...sampling, init_noise_level: input.init_noise_level, duration: input.duration }),
      position: [300, 100],
    });
  } else {
    nodes.push({ id: 'sampler', type: 'sa3.generate', typeVersion: 1, params: defined({ ...sampling, duration: input.duration }), position: [300, 100] });
  }
  nodes.push(
    { id: 'convert', type: 'audio.convert', typeVersion: 2, params: { format: input.output_format ?? 'wav' }, position: [600, 100] },
    { id: 'save', type: 'audio.save', typeVersion: 1, params: { filename: options.filename ?? 'output.{ext}' }, position: [900, 100] },
  );
  connections.push({ from: ['sampler', 'audio'], to: ['convert', 'audio'] }, { from: ['convert', 'file'], to: ['save', 'file'] });
  if (options.loras?.length) addLoraChain(nodes, connections, model, options.loras);
  return { format: 'sa3-workflow', version: 1, name: options.name ?? 'prediction', nodes, connections };
}

function addLoraChain(nodes: WorkflowNode[], connections: WorkflowConnection[], pack: string, loras: readonly PredictionLora[]): void {
  nodes.push({ id: 'model', type: 'sa3.model', typeVersion: 1, params: { pack }, position: [0, 600] });
  let from = 'model';
  loras.forEach((lora, i) => {
    const id = `lora${i + 1}`;
    nodes.push({
      id,
      type: 'sa3.lora',
      typeVersion: 1,
      params: defined({ file: lora.file, strength: lora.strength, sha256: lora.sha256 }),
      position: [150 * (i + 1), 600],
    });
    connections.push({ from: [from, 'model'], to: [id, 'model'] });
    from = id;
  });
  connections.push({ from: [from, 'model'], to: ['sampler', 'model'] });
}
