import type { AnyNodeDefinition, CatalogueNode } from '@sa3/nodes';

/** A node type as GET /api/nodes lists it: its definition without the functions. */
export function catalogueNodeOf(definition: AnyNodeDefinition): CatalogueNode {
  const { type, typeVersion, title, category, description, inputs, outputs, params, requireOneInputOf, checks, usesModel, isOutput } = definition;
  return {
    type,
    typeVersion,
    title,
    category,
    description,
    inputs,
    outputs,
    params: Object.fromEntries(Object.entries(params).map(([name, spec]) => [name, { ...spec }])),
    ...(requireOneInputOf ? { requireOneInputOf } : {}),
    ...(checks ? { checks: checks.map(({ param, code, message }) => ({ param, code, message })) } : {}),
    ...(usesModel !== undefined ? { usesModel } : {}),
    ...(isOutput !== undefined ? { isOutput } : {}),
  };
}
