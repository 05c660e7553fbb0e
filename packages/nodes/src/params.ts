import type { Problem } from './problem.js';
/**
 * Declarative parameter schemas. Every node param is described by one of these; the validator,
 * the executor (defaults), the editor (controls) and the docs all read the same description.
 */
interface ParamCommon {
  readonly label: string;
  readonly description: string;
  /** An optional param may be left out; the node then derives its value (see its description). */
  readonly optional?: boolean;
}

export interface NumberParam extends ParamCommon {
  readonly kind: 'number';
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
  /** Suggested slider step in the editor. */
  readonly step?: number;
  readonly unit?: string;
}

export interface StringParam extends ParamCommon {
  readonly kind: 'string';
  readonly default?: string;
  readonly multiline?: boolean;
  /** Reject the empty string. */
  readonly nonEmpty?: boolean;
}

export interface EnumParam<T extends string | number = string | number> extends ParamCommon {
  readonly kind: 'enum';
  readonly options: readonly T[];
  readonly default: T;
}

export interface BooleanParam extends ParamCommon {
  readonly kind: 'boolean';
  readonly default: boolean;
}

/** Integer seed; -1 means "pick one at run start" and the chosen value goes into the run report. */
export interface SeedParam extends ParamCommon {
  readonly kind: 'seed';
  readonly default: number;
}

/** Which model pack to use; "auto" lets the runtime pick the best installed pack. */
export interface ModelParam extends ParamCommon {
  readonly kind: 'model';
  readonly default: string;
}

/** Where audio comes from: a file path, an http(s) URL, a data: URI or an uploaded file id. */
export interface AudioSourceParam extends ParamCommon {
  readonly kind: 'audioSource';
  readonly default?: string;
}

/** A relative output file name with {tokens}; it may never leave the output directory. */
export interface FilenameParam extends ParamCommon {
  readonly kind: 'filename';
  readonly default: string;
}

export type ParamSpec = NumberParam | StringParam | EnumParam | BooleanParam | SeedParam | ModelParam | AudioSourceParam | FilenameParam;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export const SEED_MAX = 4_294_967_295;
export const RANDOM_SEED = -1;

type ValueOf<S extends ParamSpec> = S extends EnumParam<infer T> ? T : S extends NumberParam | SeedParam ? number : S extends BooleanParam ? boolean : string;

/**
 * The typed params a run function receives: defaults applied, required ones present (validation
 * saw to that), optional ones possibly undefined.
 */
export type ParamValues<P extends ParamSpecs> = {
  readonly [K in keyof P]: P[K] extends { optional: true } ? ValueOf<P[K]> | undefined : ValueOf<P[K]>;
};

export function paramDefault(spec: ParamSpec): unknown {
  return 'default' in spec ? spec.default : undefined;
}

export type ParamProblemCode =
  | 'invalid_param_type'
  | 'value_not_integer'
  | 'value_smaller_than_min'
  | 'value_bigger_than_max'
  | 'value_not_in_list'
  | 'value_empty'
  | 'required_param_missing';

export type ParamProblem = Pick<Problem<ParamProblemCode>, 'code' | 'message'>;

function kindName(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number':
      return spec.integer ? 'an integer' : 'a number';
    case 'seed':
      return 'an integer seed';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${spec.options.map((o) => JSON.stringify(o)).join(', ')}`;
    default:
      return 'a string';
  }
}

/** Checks one value against its schema. Returns null when the value is acceptable. */
export function checkParamValue(spec: ParamSpec, value: unknown): ParamProblem | null {
  if (value === undefined || value === null) {
    if (spec.optional || paramDefault(spec) !== undefined) return null;
    return { code: 'required_param_missing', message: `is required (${spec.description})` };
  }
  switch (spec.kind) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { code: 'invalid_param_type', message: `must be ${kindName(spec)}, got ${JSON.stringify(value)}` };
      if (spec.integer && !Number.isInteger(value)) return { code: 'value_not_integer', message: `must be an integer, got ${value}` };
      if (spec.min !== undefined && value < spec.min)
        return { code: 'value_smaller_than_min', message: `is ${value}, below the minimum ${spec.min}${spec.unit ? ' ' + spec.unit : ''}` };
      if (spec.max !== undefined && value > spec.max)
        return { code: 'value_bigger_than_max', message: `is ${value}, above the maximum ${spec.max}${spec.unit ? ' ' + spec.unit : ''}` };
      return null;
    }
    case 'seed': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return { code: 'invalid_param_type', message: `must be ${kindName(spec)}, got ${JSON.stringify(value)}` };
      if (!Number.isInteger(value)) return { code: 'value_not_integer', message: `must be an integer, got ${value}` };
      if (value < RANDOM_SEED) return { code: 'value_smaller_than_min', message: `is ${value}; use -1 for a random seed or 0..${SEED_MAX}` };
      if (value > SEED_MAX) return { code: 'value_bigger_than_max', message: `is ${value}, above the maximum ${SEED_MAX}` };
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : { code: 'invalid_param_type', message: `must be true or false, got ${JSON.stringify(value)}` };
    case 'enum':
      if (typeof value !== typeof spec.options[0]) return { code: 'invalid_param_type', message: `must be ${kindName(spec)}, got ${JSON.stringify(value)}` };
      return (spec.options as readonly unknown[]).includes(value)
        ? null
        : { code: 'value_not_in_list', message: `is ${JSON.stringify(value)}, not one of ${spec.options.map((o) => JSON.stringify(o)).join(', ')}` };
    default: {
      if (typeof value !== 'string') return { code: 'invalid_param_type', message: `must be a string, got ${JSON.stringify(value)}` };
      const mustBeFilled = spec.kind === 'audioSource' || spec.kind === 'filename' || spec.kind === 'model' || (spec.kind === 'string' && spec.nonEmpty);
      if (mustBeFilled && value.trim() === '') return { code: 'value_empty', message: 'must not be empty' };
      return null;
    }
  }
}
