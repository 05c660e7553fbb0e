import type { AnyNodeDefinition } from './node-definition.js';

/** An input that needs a wire; with `oneOf`, any one of those inputs would do. */
export interface MissingInput {
  readonly input: string;
  readonly oneOf?: readonly string[];
}

/** The inputs of a node that must be wired and are not, given the names of its wired inputs. */
export function missingInputs(definition: AnyNodeDefinition, connected: ReadonlySet<string>): MissingInput[] {
  const missing: MissingInput[] = [];
  for (const [name, spec] of Object.entries(definition.inputs)) {
    if (!spec.optional && !connected.has(name)) missing.push({ input: name });
  }
  const oneOf = definition.requireOneInputOf;
  if (oneOf && !oneOf.some((name) => connected.has(name))) missing.push({ input: oneOf[0]!, oneOf });
  return missing;
}
