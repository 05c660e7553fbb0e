import { defineNode } from '../node-definition.js';
import { noEngineError } from '../errors.js';
import { modelParam } from './sampling-params.js';

export const sa3Prompt = defineNode({
  type: 'sa3.prompt',
  typeVersion: 1,
  title: 'Prompt',
  category: 'Stable Audio 3',
  description: "Text describing the audio; encoded once by the model's text encoder and reused by every node it feeds.",
  usesModel: true,
  inputs: {},
  outputs: { conditioning: { type: 'conditioning', label: 'Conditioning' } },
  params: {
    text: {
      kind: 'string',
      label: 'Text',
      multiline: true,
      nonEmpty: true,
      description: 'Text description of the audio to generate (or, on a negative prompt, qualities to avoid).',
    },
    model: modelParam,
  },
  async run({ params, services, signal, progress }) {
    if (!services.engine) throw noEngineError();
    // Encoding the text is one step; saying so gives the node the phase label "text" while it runs.
    progress(0, 1, 'text');
    const conditioning = await services.engine.encodePrompt(params.text, params.model, { signal, onProgress: progress });
    progress(1, 1, 'text');
    return { conditioning };
  },
});
