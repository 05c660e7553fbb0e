import { builtinNodes, loadWorkflow, serializeWorkflow, type Problem, type Workflow } from '../../workflow/index.js';
import { predictionWorkflow, type PredictionInput, type PredictionLora } from '../../predictions/index.js';
import type { FieldError } from './validate-input.js';

/** Which input field a workflow problem is about, by node and param. */
const fieldOf: Record<string, string> = {
  'prompt.text': 'prompt',
  'negative.text': 'negative_prompt',
  'source.source': 'init_audio',
  'sampler.duration': 'duration',
  'sampler.steps': 'steps',
  'sampler.cfg_scale': 'cfg_scale',
  'sampler.seed': 'seed',
  'sampler.init_noise_level': 'init_noise_level',
  'convert.format': 'output_format',
};

export function fieldFor(input: Record<string, unknown>, node: string | undefined, param: string | undefined, message = ''): string {
  // The inpaint node holds the one region of a prediction as `regions`; its sentence says which end is wrong.
  if (node === 'sampler' && param === 'regions') return /\bstarts at\b/.test(message) ? 'inpaint_start_seconds' : 'inpaint_end_seconds';
  const field = fieldOf[`${node}.${param}`] ?? 'input';
  return field === 'init_audio' && input.inpaint_audio ? 'inpaint_audio' : field;
}

/**
 * The workflow a prediction runs. An inpaint_end_seconds of 0 (the schema default) means "to
 * the end of duration", which is how a client extends a file: start at its length, leave end out.
 * `loras` (sa3 serve --lora) apply to every prediction; the input schema has no field for them.
 */
export function inputWorkflow(
  input: Record<string, unknown>,
  id: string,
  loras: readonly PredictionLora[] = [],
): { workflow: Workflow } | { errors: FieldError[] } {
  const fields = { ...input } as Record<string, unknown>;
  if (fields.inpaint_audio && !fields.inpaint_end_seconds) fields.inpaint_end_seconds = fields.duration;
  const workflow = predictionWorkflow(fields as unknown as PredictionInput, { filename: `${id}.{ext}`, name: 'stable-audio-3-medium', loras });
  const loaded = loadWorkflow(serializeWorkflow(workflow, builtinNodes), { requireOutputs: true });
  if (loaded.problems.length > 0) {
    return {
      errors: loaded.problems.map((p: Problem) => ({
        loc: ['body', 'input', fieldFor(input, p.node, p.param, p.message)],
        msg: p.message,
        type: `value_error.${p.code}`,
      })),
    };
  }
  return { workflow: loaded.workflow! };
}
