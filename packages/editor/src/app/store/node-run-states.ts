import type { NodeMedia, NodeRunError, NodeRunState } from '../../plugin/index.js';
import { api, type ServedRunReport } from '../api.js';
import type { RunEvent } from '../run-events.js';
import type { OutputValueSummary } from '@sa3/nodes';

type States = ReadonlyMap<string, NodeRunState>;

type LoudnessSummary = NonNullable<Extract<OutputValueSummary, { type: 'audio' }>['loudness']>;

function loudnessLine(loudness: LoudnessSummary): string {
  return `${loudness.integratedLufs.toFixed(1)} LUFS · LRA ${loudness.rangeLu.toFixed(1)} LU · ${loudness.truePeakDbtp.toFixed(1)} dBTP`;
}

function mediaFor(runId: string, nodeId: string, report: ServedRunReport): NodeMedia[] {
  const media: NodeMedia[] = [];
  const entry = report.nodes?.find((n) => n.id === nodeId);
  for (const [name, summary] of Object.entries(entry?.outputs ?? {})) {
    if (summary.type === 'audio')
      media.push({
        label: `${name} · wav preview`,
        url: api.nodeOutputUrl(runId, nodeId, name),
        ...(summary.seconds !== undefined ? { duration: summary.seconds } : {}),
        ...(summary.loudness ? { measured: loudnessLine(summary.loudness) } : {}),
      });
    else if (summary.type === 'file' && (summary.mime ?? '').startsWith('audio/'))
      media.push({ label: `${name} · ${summary.extension ?? 'file'}`, url: api.nodeOutputUrl(runId, nodeId, name) });
  }
  for (const output of report.outputs ?? []) if (output.node === nodeId) media.push({ label: output.path, url: api.runOutputUrl(runId, output.path) });
  return media;
}

function failure(error: NodeRunError): NodeRunError {
  return { code: error.code, message: error.message, ...(error.param ? { param: error.param } : {}), ...(error.input ? { input: error.input } : {}) };
}

/** A node's next state keeps the seeds its run-start said it uses. */
function keepingSeeds(previous: NodeRunState | undefined, state: NodeRunState): NodeRunState {
  return previous?.seeds && !state.seeds ? { ...state, seeds: previous.seeds } : state;
}

/** The run's final event: unfinished nodes end, finished ones get their players, the failed node its error. */
function ended(states: States, event: Extract<RunEvent, { report: unknown }>): States {
  const next = new Map(states);
  const report = event.report;
  const ending = event.type === 'run-cancelled' ? 'cancelled' : 'skipped';
  for (const [node, state] of states) {
    if (state.status === 'queued' || state.status === 'running') next.set(node, keepingSeeds(state, { status: ending }));
    else if (report && (state.status === 'done' || state.status === 'cached')) {
      const media = mediaFor(event.runId, node, report);
      if (media.length > 0) next.set(node, { ...state, media });
    }
  }
  const error = report?.error;
  if (error?.node && next.get(error.node)?.status !== 'failed')
    next.set(error.node, keepingSeeds(next.get(error.node), { status: 'failed', error: failure(error) }));
  return next;
}

/**
 * The nodes' states a finished run left, rebuilt from its report (after a reload): each node
 * that ran shows its players again, a saved file from `savedUrl` when the store keeps it.
 */
export function restoredNodeRunStates(
  runId: string,
  report: ServedRunReport,
  savedUrl: (node: string, path: string) => string | undefined,
  seeds: Readonly<Record<string, Readonly<Record<string, number>>>> = {},
): States {
  const states = new Map<string, NodeRunState>();
  for (const entry of report.nodes ?? []) {
    if (entry.status !== 'done' && entry.status !== 'cached') continue;
    const media = mediaFor(runId, entry.id, report).map((m) => {
      const saved = (report.outputs ?? []).find((o) => o.node === entry.id && m.url === api.runOutputUrl(runId, o.path));
      const url = saved && savedUrl(entry.id, saved.path);
      return url ? { ...m, url } : m;
    });
    const used = seeds[entry.id];
    states.set(entry.id, { status: entry.status, ...(media.length > 0 ? { media } : {}), ...(used ? { seeds: used } : {}) });
  }
  return states;
}

/** The nodes' states after one of the run's events: status badges, progress, errors, then players. */
export function nextNodeRunStates(states: States, event: RunEvent): States {
  const setting = (node: string, state: NodeRunState): States => new Map(states).set(node, keepingSeeds(states.get(node), state));
  switch (event.type) {
    case 'run-start':
      return new Map([
        ...states,
        ...event.order.map((node): [string, NodeRunState] => {
          const seeds = event.seeds[node];
          return [node, seeds && Object.keys(seeds).length > 0 ? { status: 'queued', seeds: { ...seeds } } : { status: 'queued' }];
        }),
      ]);
    case 'node-start':
      return setting(event.node, { status: 'running' });
    case 'node-progress':
      return setting(event.node, { status: 'running', step: event.step, total: event.total, ...(event.phase ? { phase: event.phase } : {}) });
    case 'node-cached':
      return setting(event.node, { status: 'cached' });
    case 'node-done':
      return setting(event.node, { status: 'done', ms: event.ms });
    case 'node-error':
      return setting(event.node, { status: 'failed', error: failure(event) });
    default:
      return ended(states, event);
  }
}
