import { basename, dirname, extname, resolve } from 'node:path';
import { randomInt } from 'node:crypto';
import { batchWorkflows, MAX_RUN_REPEAT, SEED_MAX } from '@sa3/nodes';
import { loadWorkflow, parseOverride, type ParamOverride } from '../../workflow/index.js';
import { EXIT_INVALID_INPUT, EXIT_OK } from '../exit-codes.js';
import { executeWorkflow } from '../execute-workflow.js';
import { readWorkflowFile } from '../read-workflow-file.js';
import { styleFor } from '../terminal.js';

export interface RunCommandOptions {
  readonly set: readonly string[];
  readonly out: string;
  readonly json: boolean;
  readonly report?: string;
  readonly noCache?: boolean;
  /** --repeat N as typed: how many takes to run one after another. */
  readonly repeat?: string;
}

/** --repeat as typed: a whole number 1..16, or the sentence saying what is wrong. */
function takeCount(text: string | undefined): number | string {
  if (text === undefined) return 1;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= MAX_RUN_REPEAT && text.trim() !== ''
    ? n
    : `--repeat must be a whole number from 1 to ${MAX_RUN_REPEAT}, got "${text}"`;
}

export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  const fail = (message: string): number => {
    if (options.json) process.stdout.write(JSON.stringify({ type: 'invalid', problems: [{ code: 'invalid_argument', message }] }) + '\n');
    else process.stderr.write(styleFor(process.stderr).red(message) + '\n');
    return EXIT_INVALID_INPUT;
  };
  const takes = takeCount(options.repeat);
  if (typeof takes === 'string') return fail(takes);
  if (takes > 1 && options.report)
    return fail('--report names one file, and --repeat runs several takes; leave --report out and each take writes its report beside its outputs');
  const overrides: ParamOverride[] = [];
  for (const text of options.set) {
    const parsed = parseOverride(text);
    if (typeof parsed === 'string') return fail(`--set ${parsed}`);
    overrides.push(parsed);
  }
  const path = resolve(file);
  const read = await readWorkflowFile(path);
  if ('error' in read) return fail(read.error);
  const loaded = loadWorkflow(read.text, { overrides, requireOutputs: true });
  const workflows =
    loaded.workflow && loaded.problems.length === 0 ? batchWorkflows(loaded.workflow, takes, () => randomInt(0, SEED_MAX + 1)) : [loaded.workflow];
  const style = styleFor(process.stderr);
  for (const [i, workflow] of workflows.entries()) {
    if (takes > 1 && !options.json) process.stderr.write(style.dim(`take ${i + 1} of ${takes}`) + '\n');
    const code = await executeWorkflow({
      // Warnings are said once, with the first take.
      loaded: i === 0 ? { ...loaded, workflow } : { ...loaded, workflow, warnings: [] },
      label: file,
      baseDir: dirname(path),
      outDir: options.out,
      json: options.json,
      reportBesideOutputs: true,
      noCache: options.noCache === true,
      workflowName: basename(path, extname(path)),
      ...(options.report ? { report: options.report } : {}),
    });
    // A take that fails or is stopped ends the batch: the takes after it are not run.
    if (code !== EXIT_OK) {
      if (takes > 1 && !options.json && i + 1 < takes) process.stderr.write(style.yellow(`stopped after take ${i + 1} of ${takes}`) + '\n');
      return code;
    }
  }
  return EXIT_OK;
}
