import { audioSourceKind } from './audio-source.js';
import { booleanKind } from './boolean.js';
import { enumKind } from './enum.js';
import { filenameKind } from './filename.js';
import { loraFileKind } from './lora-file.js';
import { modelKind } from './model.js';
import { numberKind } from './number.js';
import type { ParamKind } from './param-kind.js';
import type { BuiltinParamKinds, ParamKindName, ParamKinds, ParamSpec } from './param-kinds.js';
import { regionsKind } from './regions.js';
import { seedKind } from './seed.js';
import { stringKind } from './string.js';

const builtinKinds: { readonly [K in keyof BuiltinParamKinds]: ParamKind<BuiltinParamKinds[K]> } = {
  number: numberKind,
  string: stringKind,
  enum: enumKind,
  boolean: booleanKind,
  seed: seedKind,
  model: modelKind,
  audioSource: audioSourceKind,
  filename: filenameKind,
  regions: regionsKind,
  loraFile: loraFileKind,
};

const registered = new Map<string, ParamKind<ParamSpec>>(Object.entries(builtinKinds) as [string, ParamKind<ParamSpec>][]);

/** Makes a kind added to ParamKinds by module augmentation known at run time. */
export function registerParamKind<K extends ParamKindName>(name: K, kind: ParamKind<ParamKinds[K]>): void {
  if (registered.has(name)) throw new Error(`the param kind "${name}" is already registered`);
  registered.set(name, kind);
}

/** The object that checks, parses, describes and gives the JSON Schema of a spec's kind. */
export function paramKindOf<S extends ParamSpec>(spec: S): ParamKind<S> {
  const kind = registered.get(spec.kind);
  if (!kind) throw new Error(`the param kind "${spec.kind}" is not registered; call registerParamKind("${spec.kind}", ...) first`);
  return kind;
}
