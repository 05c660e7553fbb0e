import { z } from 'zod';
import type { Problem } from '../problem.js';
import type { SameShape } from './same-shape.js';

/** The shared {@link Problem}, as validation problems and run errors travel over HTTP. */
export const problemSchema = z.object({
  code: z.string(),
  message: z.string(),
  node: z.string().optional(),
  param: z.string().optional(),
  input: z.string().optional(),
  path: z.string().optional(),
});

const problemSchemaIsProblem: SameShape<z.infer<typeof problemSchema>, Problem> = true;
void problemSchemaIsProblem;

/** Every refusal of the workflow API: one sentence, and for a refused workflow every problem it has. */
export const errorBodySchema = z.object({
  detail: z.string(),
  problems: z.array(problemSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
