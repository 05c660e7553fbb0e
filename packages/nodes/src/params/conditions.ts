import type { ParamCondition } from './param-spec.js';

/** Whether a condition holds for params with their defaults filled in. */
export function conditionHolds(condition: ParamCondition | undefined, resolved: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(condition ?? {}).every(([name, values]) => (values as readonly unknown[]).includes(resolved[name]));
}

/** "only when format is mp3", "only when format is wav or flac and ...". */
export function describeCondition(condition: ParamCondition): string {
  const clauses = Object.entries(condition).map(([name, values]) => `${name} is ${values.map(String).join(' or ')}`);
  return `only when ${clauses.join(' and ')}`;
}
