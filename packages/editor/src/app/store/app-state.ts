import type { NodeRunState } from '../../plugin/index.js';
import type { ModelEntry, ServedRunReport } from '../api.js';
import type { LooseWire } from '../node-types.js';

/** What the server said to the app's first request (the model list), for the UI and tests. */
export type Connection = 'connecting' | 'connected' | 'needs-token' | 'unreachable';

export type Dialog = 'gallery' | 'models' | 'report' | 'history';

export interface ActiveRun {
  /** Null until the server has accepted the workflow. */
  readonly id: string | null;
  readonly phase: 'submitting' | 'running' | 'cancelling';
}

/** The node search box: where it opened on the page, and the loose wire it would plug in, if any. */
export interface NodeFinder {
  readonly clientX: number;
  readonly clientY: number;
  readonly wire?: LooseWire;
}

export interface Toast {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
}

export interface AppState {
  /** The autosaved graph is back (or there was none): the canvas shows what it will. */
  readonly ready: boolean;
  readonly connection: Connection;
  readonly models: readonly ModelEntry[] | null;
  readonly modelsError: string | null;
  /** Why the access token is asked for, while it is. */
  readonly tokenPrompt: 'missing' | 'refused' | null;
  /** Counts the tokens given, so views that fetched with the previous one fetch again. */
  readonly tokenVersion: number;
  /** The workflow's name as the name field shows it ('' when it has none). */
  readonly name: string;
  readonly nodeCount: number;
  /** When the graph was last kept in this browser (local time), null before the first time. */
  readonly autosavedAt: string | null;
  readonly dialog: Dialog | null;
  /** What would replace the edited graph while the app asks whether to (an example, a file, a new graph). */
  readonly replacing: string | null;
  readonly finder: NodeFinder | null;
  readonly run: ActiveRun | null;
  readonly report: ServedRunReport | null;
  /** What the last run said of each node it touched; the nodes show it. */
  readonly nodeRunStates: ReadonlyMap<string, NodeRunState>;
  readonly toasts: readonly Toast[];
}

export const initialAppState: AppState = {
  ready: false,
  connection: 'connecting',
  models: null,
  modelsError: null,
  tokenPrompt: null,
  tokenVersion: 0,
  name: '',
  nodeCount: 0,
  autosavedAt: null,
  dialog: null,
  replacing: null,
  finder: null,
  run: null,
  report: null,
  nodeRunStates: new Map(),
  toasts: [],
};
