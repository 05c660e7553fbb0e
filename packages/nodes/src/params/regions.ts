import { defaultSchema, got, type ParamKind } from './param-kind.js';
import type { ParamProblem, ParamSpecBase } from './param-spec.js';

/** A span of time in seconds, half-open: [start, end). */
export interface TimeRegion {
  readonly start: number;
  readonly end: number;
}

/** A list of time regions, each end after its start, all within [0, max]. Overlapping regions are one. */
export interface RegionsParam extends ParamSpecBase<'regions', readonly TimeRegion[]> {
  readonly max?: number;
}

function checkRegion(spec: RegionsParam, region: unknown, index: number): ParamProblem | null {
  const where = `region ${index + 1}`;
  if (typeof region !== 'object' || region === null || Array.isArray(region))
    return { code: 'invalid_param_type', message: `${where} must be an object { "start": seconds, "end": seconds }, got ${got(region)}` };
  const { start, end } = region as Record<string, unknown>;
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return { code: 'invalid_param_type', message: `${where} needs a number "${name}" in seconds, got ${got(value)}` };
  }
  const [s, e] = [start as number, end as number];
  if (s < 0) return { code: 'value_smaller_than_min', message: `${where} starts at ${s} s, before 0 s` };
  if (e <= s) return { code: 'invalid_range', message: `${where} ends at ${e} s, which is not after its start ${s} s` };
  if (spec.max !== undefined && e > spec.max) return { code: 'value_bigger_than_max', message: `${where} ends at ${e} s, above the maximum ${spec.max} s` };
  return null;
}

/** "0.2:0.6,1:1.3" (or the same list as JSON) to regions; other text comes back as it is, for check to refuse. */
function parseRegions(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  const regions: TimeRegion[] = [];
  for (const part of trimmed.split(',')) {
    const region = parseRegionText(part);
    if (!region) return text;
    regions.push(region);
  }
  return regions;
}

/** "START:END" in seconds, or null when the text is not two numbers around a colon. */
export function parseRegionText(text: string): TimeRegion | null {
  const match = /^\s*([^:\s]+)\s*:\s*([^:\s]+)\s*$/.exec(text);
  if (!match) return null;
  const [start, end] = [Number(match[1]), Number(match[2])];
  return Number.isFinite(start) && Number.isFinite(end) ? { start, end } : null;
}

/** The regions as the engine needs them: sorted by start, overlapping or touching ones merged into one. */
export function mergedRegions(regions: readonly TimeRegion[]): TimeRegion[] {
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  const merged: TimeRegion[] = [];
  for (const region of sorted) {
    const last = merged[merged.length - 1];
    if (last && region.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, region.end) };
    else merged.push({ start: region.start, end: region.end });
  }
  return merged;
}

export const regionsKind: ParamKind<RegionsParam> = {
  check(spec, value) {
    if (typeof value === 'string')
      return { code: 'invalid_param_type', message: `must be START:END pairs in seconds separated by commas, for example 0.5:1,2:2.5, got ${got(value)}` };
    if (!Array.isArray(value))
      return { code: 'invalid_param_type', message: `must be a list of regions [{ "start": seconds, "end": seconds }, ...], got ${got(value)}` };
    if (value.length === 0) return { code: 'value_empty', message: 'must list at least one region' };
    for (const [index, region] of value.entries()) {
      const problem = checkRegion(spec, region, index);
      if (problem) return problem;
    }
    return null;
  },
  parse: (_spec, text) => parseRegions(text),
  jsonSchema: (spec) => ({
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      required: ['start', 'end'],
      additionalProperties: false,
      properties: {
        start: { type: 'number', minimum: 0, description: 'Start in seconds.' },
        end: { type: 'number', exclusiveMinimum: 0, ...(spec.max === undefined ? {} : { maximum: spec.max }), description: 'End in seconds (exclusive).' },
      },
    },
    ...defaultSchema(spec),
    description: spec.description,
  }),
  describe: (spec) => `regions, START:END seconds separated by commas${spec.max === undefined ? '' : `, 0..${spec.max} s`}`,
};
