import { basename, dirname, extname, resolve } from 'node:path';
import { loadWorkflow, parseOverride, type ParamOverride } from '../../workflow/index.js';
import { EXIT_INVALID_INPUT } from '../exit-codes.js';
import { executeWorkflow } from '../execute-workflow.js';
import { readWorkflowFile } from '../read-workflow-file.js';
import { styleFor } from '../terminal.js';

export interface RunCommandOptions {
  readonly set: readonly string[];
  readonly out: string;
  readonly json: boolean;
  readonly report?: string;
  readonly noCache?: boolean;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const fail = (message: string): number => {
    if (options.json) process.stdout.write(JSON.stringify({ type: 'invalid', problems: [{ code: 'invalid_argument', message }] }) + '\n');
    else process.stderr.write(styleFor(process.stderr).red(message) + '\n');
    return EXIT_INVALID_INPUT;
  };
  const overrides: ParamOverride[] = [];
  for (const text of options.set) {
    const parsed = parseOverride(text);
    if (typeof parsed === 'string') return fail(`--set ${parsed}`);
    overrides.push(parsed);
  }
  const path = resolve(file);
  const read = await readWorkflowFile(path);
  if ('error' in read) return fail(read.error);
  return executeWorkflow({
    loaded: loadWorkflow(read.text, { overrides, requireOutputs: true }),
    label: file,
    baseDir: dirname(path),
    outDir: options.out,
    json: options.json,
    reportBesideOutputs: true,
    noCache: options.noCache === true,
    workflowName: basename(path, extname(path)),
    ...(options.report ? { report: options.report } : {}),
  });
}
