import type { LoraEntry } from '@sa3/nodes';
import type { ModelEntry, RunState } from '../api.js';
import type { NodeRunState } from '../../plugin/index.js';
import type { RunEvent } from '../run-events.js';
import type { Dialog, NodeFinder, Toast } from './app-state.js';

/** Everything that changes the app's state, named for what happened. */
export type AppAction =
  | { readonly type: 'graph-restored'; readonly nodeCount: number }
  | { readonly type: 'workflow-opened'; readonly name: string | undefined }
  | { readonly type: 'workflow-renamed'; readonly name: string }
  | { readonly type: 'graph-changed'; readonly nodeCount: number }
  | { readonly type: 'graph-autosaved'; readonly nodeCount: number; readonly at: string }
  | { readonly type: 'models-requested' }
  | { readonly type: 'models-listed'; readonly models: readonly ModelEntry[] }
  | { readonly type: 'models-failed'; readonly message: string; readonly needsToken: boolean }
  | { readonly type: 'loras-listed'; readonly loras: readonly LoraEntry[] }
  | { readonly type: 'token-refused'; readonly hadToken: boolean }
  | { readonly type: 'token-given' }
  | { readonly type: 'token-prompt-closed' }
  | { readonly type: 'dialog-opened'; readonly dialog: Dialog }
  | { readonly type: 'dialog-closed' }
  | { readonly type: 'replace-asked'; readonly replacing: string }
  | { readonly type: 'replace-answered' }
  | { readonly type: 'finder-opened'; readonly finder: NodeFinder }
  | { readonly type: 'finder-closed' }
  | { readonly type: 'run-requested' }
  | { readonly type: 'run-submitted' }
  | { readonly type: 'run-accepted'; readonly id: string; readonly batch?: readonly string[] }
  | { readonly type: 'run-event'; readonly event: RunEvent }
  /** The last run's players, brought back after a reload. */
  | { readonly type: 'run-restored'; readonly nodeRunStates: ReadonlyMap<string, NodeRunState> }
  | { readonly type: 'run-cancel-requested' }
  | { readonly type: 'run-lost' }
  | { readonly type: 'batch-count-set'; readonly count: number }
  | { readonly type: 'live-runs-listed'; readonly runs: readonly RunState[] }
  | { readonly type: 'live-runs-failed'; readonly message: string }
  | { readonly type: 'toast-shown'; readonly toast: Toast }
  | { readonly type: 'toast-dismissed'; readonly id: number };
