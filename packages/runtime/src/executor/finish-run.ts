import type { OutputWriter } from './output-writer.js';
import type { RunErrorReport, RunReport } from './report.js';
import type { RunEmitter } from './run-events.js';

export interface RunEnd {
  readonly report: RunReport;
  readonly startedAt: Date;
  readonly outDir: string;
  /** The first node failure, if a node failed. */
  readonly failure: RunErrorReport | undefined;
  readonly cancelled: boolean;
  readonly outputs: OutputWriter;
  readonly emitter: RunEmitter;
}

function stamp(report: RunReport, status: RunReport['status'], startedAt: Date): RunReport {
  report.status = status;
  const finished = new Date();
  report.finishedAt = finished.toISOString();
  report.durationMs = finished.getTime() - startedAt.getTime();
  return report;
}

/** Decides how the run ended: outputs are moved to their names only when it succeeded, and discarded otherwise. */
export async function finishRun(end: RunEnd): Promise<RunReport> {
  const { report, startedAt, outputs, emitter } = end;
  if (end.failure) {
    await outputs.discard();
    report.error = end.failure;
    emitter.emit({ type: 'run-error', report: stamp(report, 'failed', startedAt) });
  } else if (end.cancelled) {
    await outputs.discard();
    emitter.emit({ type: 'run-cancelled', report: stamp(report, 'cancelled', startedAt) });
  } else {
    try {
      report.outputs = await outputs.commit();
      emitter.emit({ type: 'run-done', report: stamp(report, 'succeeded', startedAt) });
    } catch (error) {
      await outputs.discard();
      report.error = {
        code: 'output_write_failed',
        message: `could not write the outputs into ${end.outDir}: ${error instanceof Error ? error.message : String(error)}`,
        kind: 'run',
      };
      emitter.emit({ type: 'run-error', report: stamp(report, 'failed', startedAt) });
    }
  }
  return report;
}
