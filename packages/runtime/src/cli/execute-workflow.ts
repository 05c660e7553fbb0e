import { join, resolve } from 'node:path';
import { createRuntime } from '../host/index.js';
import { WorkflowInvalidError, type LoadResult } from '../workflow/index.js';
import type { RunEvent, RunReport } from '../executor/index.js';
import { fsErrorSentence, writeFileAtomic } from '../files/index.js';
import { prepareOutputFolder, reportPathProblem } from './writable-paths.js';
import { EXIT_INVALID_INPUT, EXIT_OK, EXIT_RUN_FAILED } from './exit-codes.js';
import { formatProblems } from './format-problems.js';
import { formatWarnings } from './format-warnings.js';
import { cliResultStore } from './result-store.js';
import { ProgressView } from './progress-view.js';
import { styleFor } from './terminal.js';
import { STOP_SIGNALS, watchStopSignals } from './stop-signals.js';

export interface ExecuteOptions {
  readonly loaded: LoadResult;
  /** Names the workflow in messages (its file, or the command that built it). */
  readonly label: string;
  readonly baseDir: string;
  readonly outDir: string;
  readonly json: boolean;
  readonly report?: string;
  /** Write the report beside the outputs when no --report path is given (sa3 run does, sa3 generate does not). */
  readonly reportBesideOutputs?: boolean;
  readonly workflowName?: string;
  /** Skip the disk cache of model results (--no-cache). */
  readonly noCache?: boolean;
}

function exitCodeFor(report: RunReport): number {
  if (report.status === 'succeeded') return EXIT_OK;
  return report.error?.kind === 'input' ? EXIT_INVALID_INPUT : EXIT_RUN_FAILED;
}

/** Validates, runs with progress (or JSON-lines events), writes the report, returns the exit code. */
export async function executeWorkflow(options: ExecuteOptions): Promise<number> {
  const style = styleFor(process.stderr);
  const { loaded } = options;
  // On stderr in both modes: with --json, stdout carries only the run's events.
  if (loaded.warnings.length > 0) process.stderr.write(formatWarnings(options.label, loaded.warnings, style) + '\n');
  if (loaded.problems.length > 0) {
    if (options.json) process.stdout.write(JSON.stringify({ type: 'invalid', problems: loaded.problems }) + '\n');
    else process.stderr.write(formatProblems(options.label, loaded.problems, style) + '\n');
    return EXIT_INVALID_INPUT;
  }
  const outDir = resolve(options.outDir);
  const pathProblem = (options.report ? await reportPathProblem(resolve(options.report)) : null) ?? (await prepareOutputFolder(outDir));
  if (pathProblem) {
    if (options.json) process.stdout.write(JSON.stringify({ type: 'invalid', problems: [{ code: 'invalid_argument', message: pathProblem }] }) + '\n');
    else process.stderr.write(style.red(`${pathProblem}; nothing was run`) + '\n');
    return EXIT_INVALID_INPUT;
  }

  const store = cliResultStore(options.noCache === true);
  const { executor, close } = createRuntime({ baseDir: options.baseDir, ...(store ? { store } : {}) });
  const view = options.json ? null : new ProgressView(process.stderr, style);
  const onEvent = (event: RunEvent): void => {
    if (options.json) process.stdout.write(JSON.stringify(event) + '\n');
    else view!.handle(event);
  };
  const controller = new AbortController();
  // Ctrl+C, SIGTERM or SIGHUP cancel the run (which removes its staging folder and temp files); a second one quits at once.
  const stop = watchStopSignals((signal) => {
    if (!options.json) process.stderr.write(style.yellow(`cancelling on ${signal} (again to quit at once)...\n`));
    controller.abort();
  });
  let report: RunReport;
  try {
    report = await executor.run(loaded.workflow!, {
      outDir,
      signal: controller.signal,
      onEvent,
      ...(options.workflowName ? { workflowName: options.workflowName } : {}),
    });
  } catch (error) {
    if (error instanceof WorkflowInvalidError) {
      process.stderr.write(formatProblems(options.label, error.problems, style) + '\n');
      return EXIT_INVALID_INPUT;
    }
    throw error;
  } finally {
    stop.dispose();
    await close();
  }

  const reportPath = options.report
    ? resolve(options.report)
    : report.status === 'succeeded' && options.reportBesideOutputs
      ? join(outDir, `${report.runId}.report.json`)
      : undefined;
  // A report that cannot be written is said after the outputs, which stay: they were written.
  let reportProblem: string | null = null;
  if (reportPath) {
    try {
      await writeFileAtomic(reportPath, JSON.stringify(report, null, 2) + '\n');
    } catch (error) {
      reportProblem = fsErrorSentence(error, 'cannot write the report', reportPath, 'write');
      if (!reportProblem) throw error;
    }
  }
  if (!options.json) {
    if (report.status === 'succeeded') {
      process.stderr.write(style.green(`finished in ${((report.durationMs ?? 0) / 1000).toFixed(2)} s`) + style.dim(` (${report.cacheHits} cached)`) + '\n');
      const seeds = Object.entries(report.seeds).flatMap(([node, params]) => Object.entries(params).map(([p, v]) => `${node}.${p}=${v}`));
      if (seeds.length > 0) process.stderr.write(style.dim(`seeds: ${seeds.join(' ')}`) + '\n');
      for (const output of report.outputs) process.stdout.write(`${output.absolutePath}\n`);
    } else if (report.status === 'cancelled') {
      process.stderr.write(style.yellow('cancelled: no output was written') + '\n');
    } else {
      const e = report.error!;
      const where = [e.node && `node ${e.node}`, e.param && `param ${e.param}`, e.input && `input ${e.input}`].filter(Boolean).join(', ');
      process.stderr.write(style.red(`failed${where ? ` [${where}]` : ''} ${e.code}: ${e.message}`) + '\n' + style.dim('no output was written') + '\n');
    }
    if (reportPath && !reportProblem) process.stderr.write(style.dim(`report: ${reportPath}`) + '\n');
  }
  if (reportProblem) {
    process.stderr.write(style.red(`${reportProblem}${report.outputs.length > 0 ? '; the outputs listed were written' : ''}`) + '\n');
    return EXIT_RUN_FAILED;
  }
  // Stopped by a signal: 128 + its number, as shells expect of an interrupted command.
  if (stop.signal && report.status === 'cancelled') return STOP_SIGNALS[stop.signal];
  return exitCodeFor(report);
}
