import type { Problem } from '../problem.js';

/**
 * When a param is used: each param named here must have one of its listed values (as n8n's
 * displayOptions.show). A param set while its condition does not hold is ignored, with a warning.
 */
export type ParamCondition = Readonly<Record<string, readonly (string | number | boolean)[]>>;

/** What every param spec has, whatever its kind. `Value` is the type of the values the kind takes. */
export interface ParamSpecBase<Kind extends string = string, Value = unknown> {
  readonly kind: Kind;
  readonly label: string;
  readonly description: string;
  /** An optional param may be left out; the node then derives its value (see its description). */
  readonly optional?: boolean;
  readonly default?: Value;
  readonly onlyWhen?: ParamCondition;
}

export type ParamProblemCode =
  | 'invalid_param_type'
  | 'value_not_integer'
  | 'value_smaller_than_min'
  | 'value_bigger_than_max'
  | 'value_not_in_list'
  | 'value_empty'
  | 'invalid_range'
  | 'required_param_missing'
  | 'output_path_escapes';

/** What is wrong with one value; `message` is a predicate, the caller names the param. */
export type ParamProblem = Pick<Problem<ParamProblemCode>, 'code' | 'message'>;

export type JsonSchema = Readonly<Record<string, unknown>>;
