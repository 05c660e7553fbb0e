import type { LoudnessMeasurement } from '@sa3/nodes';
import { decodeAudioFile, locateFfmpeg, type FfmpegTools } from '../audio/index.js';
import type { RunReport } from '../executor/index.js';
import type { OutputFacts, RunStore } from '../runs/index.js';
import type { Workflow } from '../workflow/index.js';
import type { RunRecord } from './run-manager.js';
import { servedReport } from './served-report.js';
import { takePeaks } from './take-peaks.js';

/** The loudness audio.loudness measured upstream of an output node, if it did. */
function loudnessLeadingTo(workflow: Workflow, report: RunReport, nodeId: string): LoudnessMeasurement | undefined {
  const seen = new Set<string>();
  const walk = (id: string): LoudnessMeasurement | undefined => {
    if (seen.has(id)) return undefined;
    seen.add(id);
    for (const summary of Object.values(report.nodes.find((n) => n.id === id)?.outputs ?? {}))
      if (summary.type === 'audio' && summary.loudness) return summary.loudness;
    for (const wire of workflow.connections) if (wire.to[0] === id) return walk(wire.from[0]);
    return undefined;
  };
  return walk(nodeId);
}

/**
 * Hands each run that ends to the run store, with each output's length and waveform (decoded
 * here, where audio is known). What the store could not keep is logged and kept as the last
 * problem, which the history shows until a later run is stored.
 */
export class RunArchive {
  lastProblem: string | null = null;
  private tools: Promise<FfmpegTools | null> | null = null;

  constructor(
    readonly store: RunStore,
    private readonly log: (line: string) => void,
  ) {
    if (store.notice) {
      this.lastProblem = store.notice;
      log(store.notice);
    }
  }

  private async facts(path: string, mime: string): Promise<OutputFacts> {
    if (!mime.startsWith('audio/')) return { durationSeconds: null, peaks: null };
    this.tools ??= locateFfmpeg().catch(() => null);
    const tools = await this.tools;
    if (!tools) return { durationSeconds: null, peaks: null };
    const clip = await decodeAudioFile(tools, path, path, new AbortController().signal);
    return { durationSeconds: (clip.channels[0]?.length ?? 0) / clip.sampleRate, peaks: takePeaks(clip) };
  }

  async keep(record: RunRecord, workflowName?: string): Promise<void> {
    const report = record.report;
    const outcome = await this.store.put({
      id: record.id,
      workflow: record.workflow,
      ...(workflowName ? { workflowName } : {}),
      createdAt: record.createdAt,
      ...(record.startedAt ? { startedAt: record.startedAt } : {}),
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
      status: record.status,
      ...(report ? { report, servedReport: servedReport(report) } : {}),
      facts: async (path, file) => {
        const measured = await this.facts(path, file.mime);
        const loudness = report ? loudnessLeadingTo(record.workflow, report, file.node) : undefined;
        return loudness ? { ...measured, loudness } : measured;
      },
    });
    if (outcome.stored) {
      this.lastProblem = null;
      if (outcome.removed.length > 0) this.log(`run store above its size limit: removed the oldest unpinned runs ${outcome.removed.join(', ')}`);
    } else {
      this.lastProblem = outcome.problem;
      this.log(outcome.problem);
    }
  }
}
