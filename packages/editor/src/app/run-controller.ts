import type { Sa3Plugin, NodeMedia, NodeRunState } from '../plugin/index.js';
import { api, type RunReport } from './api.js';
import type { RunEvent } from './run-events.js';

function mediaFor(runId: string, nodeId: string, report: RunReport): NodeMedia[] {
  const media: NodeMedia[] = [];
  const entry = report.nodes?.find((n) => n.id === nodeId);
  for (const [name, summary] of Object.entries(entry?.outputs ?? {})) {
    if (summary.type === 'audio')
      media.push({
        label: `${name} · wav preview`,
        url: api.nodeOutputUrl(runId, nodeId, name),
        ...(summary.seconds !== undefined ? { duration: summary.seconds } : {}),
      });
    else if (summary.type === 'file' && (summary.mime ?? '').startsWith('audio/'))
      media.push({ label: `${name} · ${summary.extension ?? 'file'}`, url: api.nodeOutputUrl(runId, nodeId, name) });
  }
  for (const output of report.outputs ?? []) if (output.node === nodeId) media.push({ label: output.path, url: api.runOutputUrl(runId, output.path) });
  return media;
}

/** Applies a run's events to the nodes: status badges, progress bars, errors, then players. */
export function applyRunEvent(sa3: Sa3Plugin, event: RunEvent, states: Map<string, NodeRunState>): void {
  const set = (node: string, state: NodeRunState): void => {
    states.set(node, state);
    sa3.setRunState(node, state);
  };
  switch (event.type) {
    case 'run-start':
      for (const node of event.order) set(node, { status: 'queued' });
      break;
    case 'node-start':
      set(event.node, { status: 'running' });
      break;
    case 'node-progress':
      set(event.node, { status: 'running', step: event.step, total: event.total, ...(event.phase ? { phase: event.phase } : {}) });
      break;
    case 'node-cached':
      set(event.node, { status: 'cached' });
      break;
    case 'node-done':
      set(event.node, { status: 'done', ms: event.ms });
      break;
    case 'node-error':
      set(event.node, {
        status: 'failed',
        error: { code: event.code, message: event.message, ...(event.param ? { param: event.param } : {}), ...(event.input ? { input: event.input } : {}) },
      });
      break;
    default: {
      const report = event.report;
      const ending = event.type === 'run-cancelled' ? 'cancelled' : 'skipped';
      for (const [node, state] of states) {
        if (state.status === 'queued' || state.status === 'running') set(node, { status: ending });
        else if (report && (state.status === 'done' || state.status === 'cached')) {
          const media = mediaFor(event.runId, node, report);
          if (media.length > 0) set(node, { ...state, media });
        }
      }
      const error = report?.error;
      if (error?.node && states.get(error.node)?.status !== 'failed') {
        set(error.node, {
          status: 'failed',
          error: { code: error.code, message: error.message, ...(error.param ? { param: error.param } : {}), ...(error.input ? { input: error.input } : {}) },
        });
      }
    }
  }
}
