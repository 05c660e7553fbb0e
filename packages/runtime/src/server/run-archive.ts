import type { LoudnessMeasurement } from '@sa3/nodes';
import { tmpdir } from 'node:os';
import { decodeAudioFile, locateFfmpeg, measureLoudness, type FfmpegTools } from '../audio/index.js';
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

  /** Length and waveform of an audio output, and its loudness unless audio.loudness measured it upstream (so takes can be played loudness-matched). */
  private async facts(path: string, mime: string, measured: LoudnessMeasurement | undefined): Promise<OutputFacts> {
    if (!mime.startsWith('audio/')) return { durationSeconds: null, peaks: null };
    this.tools ??= locateFfmpeg().catch(() => null);
    const tools = await this.tools;
    if (!tools) return { durationSeconds: null, peaks: null };
    const signal = new AbortController().signal;
    const clip = await decodeAudioFile(tools, path, path, signal);
    const loudness = measured ?? (await measureLoudness(tools, { clip }, tmpdir(), signal).catch(() => undefined));
    return { durationSeconds: (clip.channels[0]?.length ?? 0) / clip.sampleRate, peaks: takePeaks(clip), ...(loudness ? { loudness } : {}) };
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
      facts: (path, file) => this.facts(path, file.mime, report ? loudnessLeadingTo(record.workflow, report, file.node) : undefined),
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
