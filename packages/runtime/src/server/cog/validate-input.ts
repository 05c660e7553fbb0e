import { predictionInputSchema } from './input-schema.js';
import { laxNumber } from './lax-number.js';

/** One field error in the shape Cog (pydantic) clients expect inside a 422 "detail" list. */
export interface FieldError {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

interface PropertySchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  enum?: readonly string[];
  nullable?: boolean;
  format?: string;
  default?: unknown;
}

const schema = predictionInputSchema() as { required: string[]; properties: Record<string, PropertySchema> };

function typeError(field: string, expected: string, value: unknown): FieldError {
  return {
    loc: ['body', 'input', field],
    msg: `${field} must be ${expected}, got ${JSON.stringify(value)}`,
    type: `type_error.${expected.replace(/^an? /, '')}`,
  };
}

/**
 * Checks a prediction's input against the input schema: required fields, types, ranges, enums,
 * and that audio URIs are http(s) or data: URIs. Returns the input with defaults filled in,
 * numbers given as strings read as pydantic reads them under Cog, and keys the schema does not
 * have left out (pydantic ignores them, and Cog's Rust server strips them).
 */
export function validatePredictionInput(input: unknown): { value: Record<string, unknown> } | { errors: FieldError[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { errors: [{ loc: ['body', 'input'], msg: 'input must be an object of named fields, such as {"prompt": "..."}', type: 'type_error.dict' }] };
  }
  const given = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const value: Record<string, unknown> = {};
  for (const name of schema.required) {
    if (given[name] === undefined || given[name] === null)
      errors.push({ loc: ['body', 'input', name], msg: `${name} is required`, type: 'value_error.missing' });
  }
  for (const [name, property] of Object.entries(schema.properties)) {
    const v = given[name];
    if (v === undefined || (v === null && property.nullable)) {
      if (property.default !== undefined) value[name] = property.default;
      continue;
    }
    if (v === null) continue; // required and null: reported above
    if (property.enum) {
      if (!property.enum.includes(v as string))
        errors.push({
          loc: ['body', 'input', name],
          msg: `${name} must be one of ${property.enum.map((e) => `'${e}'`).join(', ')}, got ${JSON.stringify(v)}`,
          type: 'type_error.enum',
        });
      else value[name] = v;
      continue;
    }
    if (property.type === 'string') {
      if (typeof v !== 'string') {
        errors.push(typeError(name, 'a string', v));
        continue;
      }
      if (property.format === 'uri' && !/^(https?:\/\/|data:)/i.test(v)) {
        errors.push({
          loc: ['body', 'input', name],
          msg: `${name} must be an http(s) URL or a data: URI; ${JSON.stringify(v.slice(0, 40))} is neither`,
          type: 'value_error.url.scheme',
        });
        continue;
      }
      value[name] = v;
      continue;
    }
    const integer = property.type === 'integer';
    const n = laxNumber(v, integer);
    if (n === undefined || !Number.isFinite(n)) {
      errors.push(typeError(name, integer ? 'an integer' : 'a number', v));
      continue;
    }
    if (integer && !Number.isInteger(n)) {
      errors.push({ loc: ['body', 'input', name], msg: `${name} must be an integer, got ${n}`, type: 'type_error.integer' });
      continue;
    }
    if (property.minimum !== undefined && n < property.minimum) {
      errors.push({
        loc: ['body', 'input', name],
        msg: `ensure ${name} is greater than or equal to ${property.minimum} (got ${n})`,
        type: 'value_error.number.not_ge',
      });
      continue;
    }
    if (property.maximum !== undefined && n > property.maximum) {
      errors.push({
        loc: ['body', 'input', name],
        msg: `ensure ${name} is less than or equal to ${property.maximum} (got ${n})`,
        type: 'value_error.number.not_le',
      });
      continue;
    }
    value[name] = n;
  }
  return errors.length > 0 ? { errors } : { value };
}

/**
 * The input as a Cog prediction echoes it back: every field of the schema, with what was given
 * (numbers as read), the default of what was not, and null for an optional field without one, as
 * pydantic dumps Cog's validated input model.
 */
export function echoedInput(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const echoed: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) echoed[name] = value[name] ?? null;
  return echoed;
}
