import type { ParamKindName, ParamKinds, ParamSpec } from '@sa3/nodes';
import { audioSourceControl } from './audio-source.js';
import { booleanControl } from './boolean.js';
import type { ParamControl } from './control.js';
import { enumControl } from './enum.js';
import { filenameControl } from './filename.js';
import { loraFileControl } from './lora-file.js';
import { modelControl } from './model.js';
import { numberControl } from './number.js';
import { regionsControl } from './regions.js';
import { seedControl } from './seed.js';
import { stringControl } from './string.js';

/** One control per param kind: a kind added to ParamKinds without a control here does not compile. */
export const paramControls: { readonly [K in ParamKindName]: ParamControl<ParamKinds[K]> } = {
  number: numberControl,
  string: stringControl,
  enum: enumControl,
  boolean: booleanControl,
  seed: seedControl,
  model: modelControl,
  audioSource: audioSourceControl,
  filename: filenameControl,
  regions: regionsControl,
  loraFile: loraFileControl,
};

export function controlFor<S extends ParamSpec>(spec: S): ParamControl<S> {
  return paramControls[spec.kind] as unknown as ParamControl<S>;
}
