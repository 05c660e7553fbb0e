import { idleState, type Sa3Plugin } from '../../plugin/index.js';
import type { AppStore } from '../store/index.js';

/** Keeps the nodes' badges, progress bars, errors and players in step with the store; returns the unsubscribe. */
export function showRunStates(store: AppStore, sa3: Sa3Plugin): () => void {
  let shown = store.getState().nodeRunStates;
  return store.subscribe(() => {
    const next = store.getState().nodeRunStates;
    if (next === shown) return;
    for (const [id, state] of next) if (shown.get(id) !== state) sa3.setRunState(id, state);
    for (const id of shown.keys()) if (!next.has(id)) sa3.setRunState(id, idleState);
    shown = next;
  });
}
