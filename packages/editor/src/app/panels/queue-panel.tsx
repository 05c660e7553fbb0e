import { useEffect, useRef, useState } from 'react';
import { api, type RunState } from '../api.js';
import { useAppState, useStore } from '../app-context.js';
import { Modal } from './modal.js';

/** How often the queue is listed while it is watched. */
const POLL_MS = 1000;

const NONE: readonly string[] = [];
const NO_RUNS: readonly RunState[] = [];

const isLive = (status: RunState['status']): boolean => status === 'queued' || status === 'running';

/**
 * Lists the server's waiting and running runs into the store while the queue panel is open or
 * a run of this editor is on, and once more when neither is (so the count drops to what is left).
 */
function useLiveRunsListing(): void {
  const store = useStore();
  const watching = useAppState((s) => s.dialog === 'queue' || s.run !== null);
  const watched = useRef(false);
  useEffect(() => {
    let stopped = false;
    const list = (): void =>
      void api.liveRuns().then(
        (runs) => !stopped && store.dispatch({ type: 'live-runs-listed', runs }),
        (error: Error) => !stopped && store.dispatch({ type: 'live-runs-failed', message: `The queue could not be listed: ${error.message}` }),
      );
    if (!watching) {
      if (watched.current) list();
      return () => void (stopped = true);
    }
    watched.current = true;
    list();
    const timer = setInterval(list, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [store, watching]);
}

/** The toolbar's "Queue (k)": k runs wait or run on the server. */
export function QueueButton() {
  const store = useStore();
  const count = useAppState((s) => s.liveRuns?.length ?? 0);
  useLiveRunsListing();
  return (
    <button onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'queue' })} data-testid="open-queue" title="Runs waiting and running on the server">
      Queue ({count})
    </button>
  );
}

/** The server's waiting and running runs, each with Cancel; a run cancelled here stays listed with how it ended. */
export function QueuePanel() {
  const store = useStore();
  const live = useAppState((s) => s.liveRuns ?? NO_RUNS);
  const problem = useAppState((s) => s.liveRunsProblem);
  const batch = useAppState((s) => s.run?.batch ?? NONE);
  const [cancelled, setCancelled] = useState<ReadonlyMap<string, RunState>>(new Map());
  const [cancelProblem, setCancelProblem] = useState<string | null>(null);

  // A run cancelled while it ran ends a moment later: ask until it has.
  useEffect(() => {
    for (const run of cancelled.values())
      if (isLive(run.status) && !live.some((r) => r.id === run.id))
        void api.getRun(run.id).then(
          (now) => setCancelled((map) => new Map(map).set(now.id, now)),
          () => undefined,
        );
  }, [live, cancelled]);

  const cancel = (id: string): void => {
    setCancelProblem(null);
    api.cancelRun(id).then(
      (run) => setCancelled((map) => new Map(map).set(id, run)),
      (error: Error) => setCancelProblem(`Run ${id} could not be cancelled: ${error.message}`),
    );
  };
  // In queue order; a run cancelled here keeps its place while the listing catches up, then stays below with how it ended.
  const rows = [
    ...live.map((run) => {
      const here = cancelled.get(run.id);
      return here && !isLive(here.status) ? here : run;
    }),
    ...[...cancelled.values()].filter((run) => !live.some((r) => r.id === run.id)),
  ];
  return (
    <Modal title="Queue" onClose={() => store.dispatch({ type: 'dialog-closed' })} testId="queue-panel">
      {problem && <p className="problem">{problem}</p>}
      {cancelProblem && <p className="problem">{cancelProblem}</p>}
      {rows.length === 0 && <p className="dim">Nothing is waiting or running.</p>}
      <ul className="queue-list">
        {rows.map((run) => (
          <li key={run.id} data-testid="queue-row" data-id={run.id} data-status={run.status}>
            <span className="id">{run.id}</span>
            {batch.includes(run.id) && <span className="dim">take {batch.indexOf(run.id) + 1} of this batch</span>}
            <b data-testid="queue-status">{run.status}</b>
            <button onClick={() => cancel(run.id)} disabled={!isLive(run.status)} data-testid="queue-cancel">
              Cancel
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
