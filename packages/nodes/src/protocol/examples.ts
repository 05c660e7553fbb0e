import { z } from 'zod';

/** A workflow of the examples gallery as GET /api/examples lists it; `text` is the file as written. */
export const exampleEntrySchema = z.object({
  file: z.string(),
  name: z.string(),
  description: z.string(),
  text: z.string(),
});
export type ExampleEntry = z.infer<typeof exampleEntrySchema>;

export const exampleListSchema = z.array(exampleEntrySchema);
