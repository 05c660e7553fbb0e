import type { Take, TakeOutput } from '@sa3/nodes';
import type { StoredEntry } from '../../runs/index.js';

export function takeOutputUrl(runId: string, output: string): string {
  return `/api/history/${runId}/outputs/${output.split('/').map(encodeURIComponent).join('/')}`;
}

/** A stored run as the history lists it; an unreadable entry lists with what its index row knows and its sentence. */
export function takeOf(entry: StoredEntry): Take {
  const { row, run } = entry;
  const outputs: TakeOutput[] = (run?.outputs ?? []).map((o) => {
    const problem = entry.missingOutputs.get(o.output);
    return {
      node: o.node,
      output: o.output,
      url: takeOutputUrl(row.id, o.output),
      fileName: o.fileName,
      mime: o.mime,
      bytes: o.bytes,
      durationSeconds: o.durationSeconds,
      ...(o.loudness ? { loudness: o.loudness } : {}),
      peaks: o.peaks ? o.peaks.map(([min, max]) => [min, max] as [number, number]) : null,
      ...(problem ? { problem } : {}),
    };
  });
  const status = run?.status ?? (row.status as Take['status']);
  return {
    id: row.id,
    workflowName: run?.workflowName ?? row.workflowName,
    createdAt: row.createdAt,
    finishedAt: run?.finishedAt ?? null,
    status,
    pinned: row.pinned,
    prompts: [...(run?.prompts ?? [])],
    seeds: run?.seeds ?? {},
    durationMs: run?.durationMs ?? null,
    bytes: row.bytes,
    outputs,
    ...(run?.error ? { error: run.error } : {}),
    ...(entry.problem ? { problem: entry.problem } : {}),
  };
}
