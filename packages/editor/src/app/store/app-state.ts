import type { LoraEntry } from '@sa3/nodes';
import type { NodeRunState } from '../../plugin/index.js';
import type { ModelEntry, RunState, ServedRunReport } from '../api.js';
import type { LooseWire } from '../node-types.js';

/** What the server said to the app's first request (the model list), for the UI and tests. */
export type Connection = 'connecting' | 'connected' | 'needs-token' | 'unreachable';

export type Dialog = 'gallery' | 'models' | 'report' | 'history' | 'queue';

/** Runs one press of Run queues (Run xN). */
export const MAX_BATCH = 16;

export interface ActiveRun {
  /** Null until the server has accepted the workflow. */
  readonly id: string | null;
  readonly phase: 'submitting' | 'running' | 'cancelling';
  /** Every run of the press of Run this one belongs to, in the order they run (one id for a single run). */
  readonly batch: readonly string[];
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
  /** The LoRA files installed on the server (empty until listed, or when listing failed). */
  readonly loras: readonly LoraEntry[];
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
  /** How many runs one press of Run queues, 1..MAX_BATCH. */
  readonly batchCount: number;
  /** The server's waiting and running runs as last listed (GET /api/runs), null before the first listing. */
  readonly liveRuns: readonly RunState[] | null;
  /** Why the last listing of them failed, null when it did not. */
  readonly liveRunsProblem: string | null;
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
  loras: [],
  tokenPrompt: null,
  tokenVersion: 0,
  name: '',
  nodeCount: 0,
  autosavedAt: null,
  dialog: null,
  replacing: null,
  finder: null,
  run: null,
  batchCount: 1,
  liveRuns: null,
  liveRunsProblem: null,
  report: null,
  nodeRunStates: new Map(),
  toasts: [],
};
