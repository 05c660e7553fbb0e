import { defineNode } from '../node-definition.js';
import { NodeError, noEngineError } from '../errors.js';

const SHA256 = /^[0-9a-f]{64}$/;

export const sa3Lora = defineNode({
  type: 'sa3.lora',
  typeVersion: 1,
  title: 'LoRA',
  category: 'Stable Audio 3',
  description:
    'Applies a LoRA adapter file (trained with the official scripts) on top of the model it receives; chain several to stack them, applied in wire order.',
  inputs: { model: { type: 'model', label: 'Model' } },
  outputs: { model: { type: 'model', label: 'Model' } },
  params: {
    file: {
      kind: 'loraFile',
      label: 'File',
      description: 'A .safetensors LoRA file: a path (relative to the workflow file), or the name of one installed with sa3 models lora import.',
    },
    strength: {
      kind: 'number',
      label: 'Strength',
      min: -10,
      max: 10,
      default: 1,
      step: 0.05,
      description: 'How strongly the adapter applies: 0 leaves the model as it is, negative values push away from what it learned.',
    },
    interval_min: {
      kind: 'number',
      label: 'From t',
      min: 0,
      max: 1,
      default: 0,
      step: 0.05,
      description: 'The adapter changes the DiT only at sampling steps whose t (1 = pure noise) is at least this.',
    },
    interval_max: {
      kind: 'number',
      label: 'To t',
      min: 0,
      max: 1,
      default: 1,
      step: 0.05,
      description: 'The adapter changes the DiT only at sampling steps whose t is at most this.',
    },
    layer_filter: {
      kind: 'string',
      label: 'Skip layers',
      default: '',
      description: 'Comma-separated parts of DiT layer names (with [a-b] ranges, e.g. "layers.[0-3].,cross_attn") whose weights this adapter leaves alone.',
    },
    sha256: {
      kind: 'string',
      label: 'sha256',
      default: '',
      description: 'The sha256 of the file this workflow was made with; a run refuses a file with another hash. Empty: not checked.',
    },
  },
  checks: [
    { param: 'interval_max', code: 'invalid_range', message: 'must be at least interval_min', fails: (p) => p.interval_max < p.interval_min },
    {
      param: 'sha256',
      code: 'invalid_param_type',
      message: 'must be 64 lowercase hex digits or empty',
      fails: (p) => p.sha256 !== '' && !SHA256.test(p.sha256),
    },
  ],
  // The cache follows the file's bytes, not only its name.
  fingerprint: async (params, services) => (await services.engine?.loraFile?.(params.file).catch(() => null))?.sha256 ?? 'unresolved',
  async run({ params, inputs, services }) {
    if (!services.engine) throw noEngineError();
    if (!services.engine.loraFile) throw new NodeError('lora_unsupported', "this runtime's model engine does not apply LoRA files", { param: 'file' });
    const found = await services.engine.loraFile(params.file);
    if (params.sha256 && found.sha256 !== params.sha256) {
      throw new NodeError(
        'lora_hash_mismatch',
        `the LoRA file ${found.path} has changed: its sha256 is ${found.sha256}, but the workflow recorded ${params.sha256}`,
        { param: 'sha256', kind: 'input' },
      );
    }
    const adapter = {
      file: found.path,
      sha256: found.sha256,
      strength: params.strength,
      interval: [params.interval_min, params.interval_max] as const,
      layerFilter: params.layer_filter,
    };
    return { model: { pack: inputs.model.pack, adapters: [...inputs.model.adapters, adapter] } };
  },
});
