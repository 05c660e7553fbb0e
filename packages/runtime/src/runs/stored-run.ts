import type { LoudnessMeasurement, RunStatus, ServedRunReport } from '@sa3/nodes';

/** A file a stored run wrote, as <runs>/<id>/run.json records it; the file itself is <runs>/<id>/outputs/<output>. */
export interface StoredOutput {
  readonly node: string;
  /** Its path inside the run's outputs, with forward slashes. */
  readonly output: string;
  /** The name a download gets: {workflow}-{node}-{seed}.{ext}, sanitized and unique within the run. */
  readonly fileName: string;
  readonly mime: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly durationSeconds: number | null;
  readonly loudness?: LoudnessMeasurement;
  /** Per column [min, max], channels mixed to mono; null when the file could not be decoded. */
  readonly peaks: readonly (readonly [number, number])[] | null;
}

/** <runs>/<id>/run.json: what the history shows of a run, written once when the run has ended. */
export interface StoredRun {
  readonly format: 'sa3-stored-run';
  readonly version: 1;
  readonly id: string;
  readonly workflowName: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly status: RunStatus;
  /** The text of every sa3.prompt node, in node order. */
  readonly prompts: readonly string[];
  readonly seeds: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly durationMs: number | null;
  readonly error?: string;
  readonly outputs: readonly StoredOutput[];
  /** The run's report as a server serves it (no absolute paths). */
  readonly report: ServedRunReport | null;
}

/** What the index knows of a run without reading its folder. */
export interface RunRow {
  readonly id: string;
  readonly createdAt: string;
  readonly workflowName: string | null;
  readonly status: string;
  readonly pinned: boolean;
  readonly bytes: number;
}

/** A run as the store lists it: its row, and its run.json, or one sentence saying why it cannot be read. */
export interface StoredEntry {
  readonly row: RunRow;
  readonly run: StoredRun | null;
  readonly problem?: string;
  /** Outputs whose file is gone from the store, each with its sentence. */
  readonly missingOutputs: ReadonlyMap<string, string>;
}
