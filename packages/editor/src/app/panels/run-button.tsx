import { useEffect } from 'react';
import { useActions, useAppState, useStore } from '../app-context.js';
import { keepBatchCount, keptBatchCount } from '../batch-count.js';
import { MAX_BATCH } from '../store/index.js';

const COUNTS = Array.from({ length: MAX_BATCH }, (_, i) => i + 1);

/** How many runs one press of Run queues (kept in this browser, not in the workflow). */
function BatchCount() {
  const store = useStore();
  const count = useAppState((s) => s.batchCount);
  return (
    <select
      className="batch-count"
      value={count}
      data-testid="batch-count"
      title="Runs queued per press of Run, each with its own seed per the seed controls"
      onChange={(e) => {
        const next = Number(e.target.value);
        keepBatchCount(next);
        store.dispatch({ type: 'batch-count-set', count: next });
      }}
    >
      {COUNTS.map((n) => (
        <option key={n} value={n}>
          x{n}
        </option>
      ))}
    </select>
  );
}

/** Run (xN beside it), or Cancel while a run is on; during a batch it says which take is running. */
export function RunButton() {
  const actions = useActions();
  const store = useStore();
  const run = useAppState((s) => s.run);
  useEffect(() => store.dispatch({ type: 'batch-count-set', count: keptBatchCount() }), [store]);
  if (!run)
    return (
      <div className="run-group">
        <BatchCount />
        <button className="primary" onClick={() => void actions.run()} data-testid="run" title="Run the workflow (Ctrl+Enter)">
          ▶ Run
        </button>
      </div>
    );
  const take = run.batch.length > 1 && run.id ? ` ${run.batch.indexOf(run.id) + 1}/${run.batch.length}` : '';
  return (
    <button className="primary cancel" onClick={() => void actions.cancelRun()} data-testid="cancel" disabled={run.phase !== 'running'}>
      {run.phase === 'cancelling' ? 'Cancelling…' : `Cancel${take}`}
    </button>
  );
}
