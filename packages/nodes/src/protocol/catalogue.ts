import { z } from 'zod';
import type { NodeCategory } from '../node-definition.js';
import { socketTypes, type SocketType } from '../sockets.js';
import type { SameShape } from './same-shape.js';

const socketTypeSchema = z.enum(Object.keys(socketTypes) as [SocketType, ...SocketType[]]);
const nodeCategorySchema = z.enum(['Stable Audio 3', 'Audio I/O', 'Audio utilities']);
const categoriesMatch: SameShape<z.infer<typeof nodeCategorySchema>, NodeCategory> = true;
void categoriesMatch;

/**
 * A param as the catalogue describes it. Only what every kind has is checked here; the rest
 * belongs to the param's kind, which the catalogue in this package defines.
 */
const catalogueParamSchema = z.looseObject({ label: z.string(), description: z.string(), optional: z.boolean().optional() });

/** One node type as GET /api/nodes lists it: the definition without its functions. */
export const catalogueNodeSchema = z.object({
  type: z.string(),
  typeVersion: z.number().int(),
  title: z.string(),
  category: nodeCategorySchema,
  description: z.string(),
  inputs: z.record(z.string(), z.object({ type: socketTypeSchema, label: z.string(), optional: z.boolean().optional() })),
  outputs: z.record(z.string(), z.object({ type: socketTypeSchema, label: z.string() })),
  params: z.record(z.string(), catalogueParamSchema),
  requireOneInputOf: z.array(z.string()).readonly().optional(),
  checks: z.array(z.object({ param: z.string(), code: z.string(), message: z.string() })).optional(),
  usesModel: z.boolean().optional(),
  isOutput: z.boolean().optional(),
});
export type CatalogueNode = z.infer<typeof catalogueNodeSchema>;

export const nodeCatalogueSchema = z.array(catalogueNodeSchema);
