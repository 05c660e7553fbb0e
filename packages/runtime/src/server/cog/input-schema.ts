import { getNodeDefinition, paramKindOf } from '@sa3/nodes';

/**
 * The input schema of the hosted stable-audio-3-medium model (names, types, ranges, defaults,
 * x-order), built from the node catalogue that runs it so the two can never drift apart.
 */
interface FieldSource {
  readonly title: string;
  readonly order: number;
  /** The node param that carries the field, where one does. */
  readonly param?: readonly [string, string];
  readonly schema?: Record<string, unknown>;
}

const fields: Record<string, FieldSource> = {
  prompt: { title: 'Prompt', order: 0, schema: { type: 'string', description: 'Text description of the audio to generate.' } },
  negative_prompt: {
    title: 'Negative Prompt',
    order: 1,
    schema: { type: 'string', default: '', description: 'Qualities to avoid in the output. Only affects -base models.' },
  },
  duration: { title: 'Duration', order: 2, param: ['sa3.generate', 'duration'] },
  steps: { title: 'Steps', order: 3, param: ['sa3.generate', 'steps'] },
  cfg_scale: {
    title: 'Cfg Scale',
    order: 4,
    param: ['sa3.generate', 'cfg_scale'],
    schema: { description: 'Classifier-free guidance scale. Only affects -base models.' },
  },
  seed: { title: 'Seed', order: 5, param: ['sa3.generate', 'seed'], schema: { description: 'Random seed. -1 selects a new random seed for each run.' } },
  init_audio: {
    title: 'Init Audio',
    order: 6,
    schema: { type: 'string', format: 'uri', nullable: true, description: 'Optional source audio for audio-to-audio editing.' },
  },
  init_noise_level: { title: 'Init Noise Level', order: 7, param: ['sa3.edit', 'init_noise_level'] },
  inpaint_audio: {
    title: 'Inpaint Audio',
    order: 8,
    schema: {
      type: 'string',
      format: 'uri',
      nullable: true,
      description:
        'Optional source audio for inpainting or continuation. Set inpaint_start_seconds and inpaint_end_seconds to mark the region to regenerate; set start to the file length to extend it.',
    },
  },
  inpaint_start_seconds: {
    title: 'Inpaint Start Seconds',
    order: 9,
    schema: { type: 'number', default: 0, minimum: 0, description: 'Start of the inpaint region in seconds (used with inpaint_audio).' },
  },
  inpaint_end_seconds: {
    title: 'Inpaint End Seconds',
    order: 10,
    schema: { type: 'number', default: 0, minimum: 0, description: 'End of the inpaint region in seconds (used with inpaint_audio).' },
  },
  output_format: { title: 'output_format', order: 11, schema: { enum: ['wav', 'mp3'], type: 'string', description: 'Output file format.', default: 'wav' } },
};

export function predictionInputSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    const spec = field.param ? getNodeDefinition(field.param[0])!.params[field.param[1]]! : undefined;
    const fromNode = spec ? paramKindOf(spec).jsonSchema(spec) : {};
    properties[name] = { ...fromNode, ...field.schema, title: field.title, 'x-order': field.order };
  }
  return { type: 'object', title: 'Input', required: ['prompt'], properties };
}

export function predictionOutputSchema(): Record<string, unknown> {
  return { type: 'string', title: 'Output', format: 'uri' };
}
