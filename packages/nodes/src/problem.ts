/** One thing wrong with a workflow, an input or a run, as every part of sa3 reports it. */
export interface Problem<Code extends string = string> {
  readonly code: Code;
  /** One sentence that names what is wrong and where. */
  readonly message: string;
  readonly node?: string;
  readonly param?: string;
  readonly input?: string;
  /** JSON pointer into the file, for structural problems. */
  readonly path?: string;
}
