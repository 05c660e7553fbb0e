import { useActions, useAppState } from '../app-context.js';

/** Run, or Cancel while a run is on. */
export function RunButton() {
  const actions = useActions();
  const run = useAppState((s) => s.run);
  if (!run)
    return (
      <button className="primary" onClick={() => void actions.run()} data-testid="run" title="Run the workflow (Ctrl+Enter)">
        ▶ Run
      </button>
    );
  return (
    <button className="primary cancel" onClick={() => void actions.cancelRun()} data-testid="cancel" disabled={run.phase !== 'running'}>
      {run.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
    </button>
  );
}
