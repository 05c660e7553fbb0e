import { defineNode } from '../node-definition.js';
import { modelParam } from './sampling-params.js';

export const sa3Model = defineNode({
  type: 'sa3.model',
  typeVersion: 1,
  title: 'Model',
  category: 'Stable Audio 3',
  description: 'A model pack as a wire, so LoRA nodes can be stacked on it before it feeds Generate, Edit, Inpaint or Extend.',
  inputs: {},
  outputs: { model: { type: 'model', label: 'Model' } },
  params: {
    pack: { ...modelParam, label: 'Pack' },
  },
  // Results downstream follow the installed pack, as they do for a model param.
  fingerprint: async (params, services) => (services.engine ? await services.engine.packHash(params.pack).catch(() => 'unresolved') : 'no engine'),
  run({ params }) {
    return { model: { pack: params.pack, adapters: [] } };
  },
});
