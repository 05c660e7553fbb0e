import { MAX_RUN_REPEAT } from '@sa3/nodes';

/** The "repeat" of a run request: absent, or a whole number 1..16; a sentence naming the field otherwise. */
export function repeatFrom(value: unknown): number | undefined | string {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_RUN_REPEAT) return value;
  return `"repeat" must be a whole number from 1 to ${MAX_RUN_REPEAT} (how many takes to queue), got ${JSON.stringify(value) ?? typeof value}`;
}
