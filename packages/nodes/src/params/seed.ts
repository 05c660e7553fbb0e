import { got, type ParamKind } from './param-kind.js';
import type { ParamSpecBase } from './param-spec.js';
import { parseNumberText } from './number-text.js';

export const SEED_MAX = 4_294_967_295;
export const RANDOM_SEED = -1;

/** Integer seed; -1 means "pick one at run start" and the chosen value goes into the run report. */
export interface SeedParam extends ParamSpecBase<'seed', number> {
  readonly default: number;
}

export const seedKind: ParamKind<SeedParam> = {
  check(_spec, value) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'invalid_param_type', message: `must be an integer seed, got ${got(value)}` };
    if (!Number.isInteger(value)) return { code: 'value_not_integer', message: `must be an integer, got ${value}` };
    if (value < RANDOM_SEED) return { code: 'value_smaller_than_min', message: `is ${value}; use -1 for a random seed or 0..${SEED_MAX}` };
    if (value > SEED_MAX) return { code: 'value_bigger_than_max', message: `is ${value}, above the maximum ${SEED_MAX}` };
    return null;
  },
  parse: (_spec, text) => parseNumberText(text),
  // The hosted model's schema gives a seed no range: -1 is a value outside 0..SEED_MAX that means "random".
  jsonSchema: (spec) => ({ type: 'integer', default: spec.default, description: spec.description }),
  describe: () => 'seed',
};
