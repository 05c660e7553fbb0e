import type { JsonSchema, ParamProblem, ParamSpecBase } from './param-spec.js';

/** Everything sa3 does with one kind of param, in one object per kind. */
export interface ParamKind<S extends ParamSpecBase> {
  /** What is wrong with a value that is present (a missing value is judged the same for every kind). */
  check(spec: S, value: unknown): ParamProblem | null;
  /**
   * The value command-line text stands for (`--set node.param=value`). Text that is no value of
   * the kind comes back as it is, for check to refuse with its own words.
   */
  parse(spec: S, text: string): unknown;
  /** JSON Schema of the param: type, range or options, default and description. */
  jsonSchema(spec: S): JsonSchema;
  /** The values it takes, for `sa3 nodes`: "number, 1..380 s, integer". */
  describe(spec: S): string;
}

/** The `default` key, only where the spec has one. */
export function defaultSchema(spec: ParamSpecBase): JsonSchema {
  return spec.default === undefined ? {} : { default: spec.default };
}

export function got(value: unknown): string {
  return JSON.stringify(value);
}
