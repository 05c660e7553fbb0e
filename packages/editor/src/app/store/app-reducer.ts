import type { AppAction } from './app-action.js';
import { MAX_BATCH, type AppState } from './app-state.js';
import { nextNodeRunStates } from './node-run-states.js';

/** Toasts on screen at once; an older one makes room for a new one. */
const MAX_TOASTS = 4;

export function appReducer(state: AppState, action: AppAction): AppState {
  switch (action.type) {
    case 'graph-restored':
      return { ...state, ready: true, nodeCount: action.nodeCount };
    case 'workflow-opened':
      return { ...state, name: action.name ?? '' };
    case 'workflow-renamed':
      return { ...state, name: action.name };
    case 'graph-changed':
      return state.nodeCount === action.nodeCount ? state : { ...state, nodeCount: action.nodeCount };
    case 'graph-autosaved':
      return { ...state, nodeCount: action.nodeCount, autosavedAt: action.at };
    case 'models-requested':
      return { ...state, connection: 'connecting' };
    case 'models-listed':
      return { ...state, models: action.models, modelsError: null, connection: 'connected' };
    case 'models-failed':
      return { ...state, modelsError: action.message, connection: action.needsToken ? 'needs-token' : 'unreachable' };
    case 'loras-listed':
      return { ...state, loras: action.loras };
    case 'token-refused':
      return { ...state, tokenPrompt: action.hadToken ? 'refused' : 'missing' };
    case 'token-given':
      return { ...state, tokenPrompt: null, tokenVersion: state.tokenVersion + 1 };
    case 'token-prompt-closed':
      return { ...state, tokenPrompt: null };
    case 'dialog-opened':
      return { ...state, dialog: action.dialog };
    case 'dialog-closed':
      return { ...state, dialog: null };
    case 'replace-asked':
      return { ...state, replacing: action.replacing };
    case 'replace-answered':
      return { ...state, replacing: null };
    case 'finder-opened':
      return { ...state, finder: action.finder };
    case 'finder-closed':
      return { ...state, finder: null };
    case 'run-requested':
      return state.nodeRunStates.size === 0 ? state : { ...state, nodeRunStates: new Map() };
    case 'run-submitted':
      return { ...state, run: { id: null, phase: 'submitting', batch: [] } };
    case 'run-accepted':
      return { ...state, run: { id: action.id, phase: 'running', batch: action.batch ?? [action.id] } };
    case 'run-event': {
      const { event } = action;
      const nodeRunStates = nextNodeRunStates(state.nodeRunStates, event);
      const ended = event.type === 'run-done' || event.type === 'run-error' || event.type === 'run-cancelled';
      return ended ? { ...state, nodeRunStates, run: null, report: event.report } : { ...state, nodeRunStates };
    }
    case 'run-restored':
      // A run started since the page loaded says more than the one before it.
      return state.run || state.report ? state : { ...state, nodeRunStates: action.nodeRunStates };
    case 'run-cancel-requested':
      return state.run?.id ? { ...state, run: { ...state.run, phase: 'cancelling' } } : state;
    case 'run-lost':
      return { ...state, run: null };
    case 'batch-count-set':
      return { ...state, batchCount: Math.min(MAX_BATCH, Math.max(1, Math.round(action.count) || 1)) };
    case 'live-runs-listed':
      return { ...state, liveRuns: action.runs, liveRunsProblem: null };
    case 'live-runs-failed':
      return { ...state, liveRunsProblem: action.message };
    case 'toast-shown':
      return { ...state, toasts: [...state.toasts.slice(-(MAX_TOASTS - 1)), action.toast] };
    case 'toast-dismissed':
      return { ...state, toasts: state.toasts.filter((t) => t.id !== action.id) };
  }
}
