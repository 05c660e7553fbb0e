import type { AudioSourceParam } from './audio-source.js';
import type { BooleanParam } from './boolean.js';
import type { EnumParam } from './enum.js';
import type { FilenameParam } from './filename.js';
import type { LoraFileParam } from './lora-file.js';
import type { ModelParam } from './model.js';
import type { NumberParam } from './number.js';
import type { RegionsParam } from './regions.js';
import type { SeedParam } from './seed.js';
import type { StringParam } from './string.js';

/** The kinds @sa3/nodes ships, by name. */
export interface BuiltinParamKinds {
  number: NumberParam;
  string: StringParam;
  enum: EnumParam;
  boolean: BooleanParam;
  seed: SeedParam;
  model: ModelParam;
  audioSource: AudioSourceParam;
  filename: FilenameParam;
  regions: RegionsParam;
  loraFile: LoraFileParam;
}

/**
 * Every param kind, by name, to its spec type. A package adds a kind by augmenting this interface
 * (`declare module '@sa3/nodes' { interface ParamKinds { color: ColorParam } }`) and calling
 * registerParamKind; everything typed over ParamKindName (the editor's controls) then asks for it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declared to be augmented
export interface ParamKinds extends BuiltinParamKinds {}

export type ParamKindName = keyof ParamKinds;
export type ParamSpec = ParamKinds[ParamKindName];
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** A kind that lists `options` takes one of them; any other takes the type of its declared default. */
export type ParamValue<S extends ParamSpec> = S extends { readonly options: readonly (infer T)[] } ? T : NonNullable<ParamKinds[S['kind']]['default']>;

/**
 * The typed params a run function receives: defaults applied, required ones present (validation
 * saw to that), optional ones possibly undefined.
 */
export type ParamValues<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends { optional: true } ? ParamValue<P[K]> | undefined : ParamValue<P[K]>;
};
