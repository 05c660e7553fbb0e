import type { TimeRegion } from '@sa3/nodes';
import type { Workflow, WorkflowConnection, WorkflowNode } from '../workflow/index.js';
import type { PredictionInput } from './prediction-input.js';

function defined<T extends Record<string, unknown>>(params: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * A prediction as a workflow: prompt (and negative prompt) -> generate, edit (init_audio) or
 * inpaint (inpaint_audio) -> convert -> save. Leaving a field out leaves the node's default,
 * so the result validates and runs exactly like a hand-made workflow. `regions` (the CLI's
 * --region, not in the hosted schema) replaces inpaint_start_seconds/inpaint_end_seconds.
 */
export function predictionWorkflow(input: PredictionInput, options: { filename?: string; name?: string; regions?: readonly TimeRegion[] } = {}): Workflow {
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
  return { format: 'sa3-workflow', version: 1, name: options.name ?? 'prediction', nodes, connections };
}
