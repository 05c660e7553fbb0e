import { useAppState, useStore } from '../app-context.js';

/** What to do first, on an empty canvas. */
export function EmptyHint() {
  const store = useStore();
  const empty = useAppState((s) => s.ready && s.nodeCount === 0);
  if (!empty) return null;
  return (
    <div className="empty-hint">
      <p>Right-click the canvas or pick a node on the left to start.</p>
      <p className="dim">Drop a workflow .json, or an audio file saved by sa3, to open it.</p>
      <button onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'gallery' })}>Browse examples</button>
    </div>
  );
}
