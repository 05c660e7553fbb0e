import { useCallback, useEffect, useState } from 'react';
import { useActions, useAppState, useStore } from '../app-context.js';
import { modelPulls, type CatalogueModel, type ModelPullState } from '../model-pulls.js';
import { Modal } from './modal.js';

/** How often a running pull is asked how far it got. */
const POLL_MS = 250;

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

function fraction(state: ModelPullState): number {
  if (state.status === 'installed') return 1;
  if (state.phase.startsWith('converting') && state.total > 0) return state.done / state.total;
  return state.bytesTotal > 0 ? Math.min(1, state.bytesDone / state.bytesTotal) : 0;
}

function PullProgress({ state }: { state: ModelPullState }) {
  const share = fraction(state);
  return (
    <div data-testid="pull-progress" data-status={state.status} data-fraction={share.toFixed(3)} style={{ minWidth: 200 }}>
      <div style={{ height: 6, background: 'var(--bg)', borderRadius: 3, overflow: 'hidden', border: '1px solid var(--border)' }}>
        <div style={{ width: `${Math.round(share * 100)}%`, height: '100%', background: state.status === 'failed' ? 'var(--error)' : 'var(--accent)' }} />
      </div>
      <div className={state.status === 'failed' ? 'problem' : 'dim'} data-testid="pull-phase" style={{ fontSize: 11, marginTop: 3 }}>
        {state.message ??
          `${state.phase}${state.bytesTotal > 0 && state.status === 'running' ? ` · ${size(state.bytesDone)} of ${size(state.bytesTotal)}` : ''}`}
      </div>
    </div>
  );
}

/** Packs the server knows how to get, each with a Pull button that runs the pull on the server and shows how far it got. */
function Catalogue() {
  const actions = useActions();
  const [catalogue, setCatalogue] = useState<CatalogueModel[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pulls, setPulls] = useState<ReadonlyMap<string, ModelPullState>>(new Map());
  const track = useCallback((state: ModelPullState) => setPulls((held) => new Map(held).set(state.id, state)), []);
  const list = useCallback(() => {
    modelPulls.catalogue().then(setCatalogue, (error: Error) => setProblem(`The server could not list the packs it can get: ${error.message}`));
  }, []);
  useEffect(list, [list]);

  const running = [...pulls.values()].filter((p) => p.status === 'running').map((p) => p.id);
  const runningKey = running.join(',');
  useEffect(() => {
    if (runningKey === '') return;
    const timer = setInterval(() => {
      for (const id of runningKey.split(','))
        modelPulls.state(id).then(
          (state) => {
            track(state);
            if (state.status === 'installed') {
              actions.loadModels();
              list();
            }
          },
          (error: Error) => track({ id, status: 'failed', phase: 'failed', done: 0, total: 0, bytesDone: 0, bytesTotal: 0, message: error.message }),
        );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [runningKey, actions, list, track]);

  const pull = (id: string): void => {
    modelPulls
      .start(id)
      .then(track, (error: Error) => track({ id, status: 'failed', phase: 'failed', done: 0, total: 0, bytesDone: 0, bytesTotal: 0, message: error.message }));
  };

  if (problem) return <p className="problem">{problem}</p>;
  if (!catalogue) return <p className="dim">Asking the server which packs it can get…</p>;
  return (
    <table className="table" data-testid="model-catalogue">
      <thead>
        <tr>
          <th>Pack</th>
          <th>Longest audio</th>
          <th>Download</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {catalogue.map((m) => {
          const state = pulls.get(m.id);
          const canPull = m.status === 'pullable' || m.status === 'convertible';
          return (
            <tr key={m.id} data-testid="catalogue-row" data-id={m.id} data-status={m.status}>
              <td>
                <code>{m.id}</code>
                <div className="dim" style={{ fontSize: 11 }}>
                  {m.title}
                </div>
              </td>
              <td>{Math.round(m.maxSeconds)} s</td>
              <td>{m.status === 'convertible' ? `~${size(m.approxBytes)}, converted here` : `~${size(m.approxBytes)}`}</td>
              <td>
                {state ? (
                  <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                    <PullProgress state={state} />
                    {state.status === 'running' && (
                      <button onClick={() => void modelPulls.cancel(m.id).then(track)} data-testid="pull-cancel">
                        Cancel
                      </button>
                    )}
                    {(state.status === 'failed' || state.status === 'cancelled') && canPull && (
                      <button onClick={() => pull(m.id)} data-testid="pull">
                        Retry
                      </button>
                    )}
                  </div>
                ) : m.status === 'installed' ? (
                  <span className="dim">installed</span>
                ) : canPull ? (
                  <button onClick={() => pull(m.id)} data-testid="pull" title={`Download ${m.id} onto the server (as sa3 models pull ${m.id} does)`}>
                    Pull
                  </button>
                ) : (
                  <span className="dim" title={m.reason}>
                    not available yet
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ModelsPanel() {
  const store = useStore();
  const models = useAppState((s) => s.models);
  const error = useAppState((s) => s.modelsError);
  return (
    <Modal title="Model packs" onClose={() => store.dispatch({ type: 'dialog-closed' })} testId="models-panel">
      {error && <p className="problem">The server could not list its models: {error}</p>}
      {models && models.length === 0 && (
        <p className="dim" data-testid="no-packs">
          No model pack is installed on the server. Pull one below, or on the server with <code>sa3 models pull small-music</code> (or write a test pack with{' '}
          <code>sa3 models testpack</code>).
        </p>
      )}
      {models && models.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Pack</th>
              <th>Title</th>
              <th>Objective</th>
              <th>Longest audio</th>
            </tr>
          </thead>
          <tbody>
            {models.map((m) => (
              <tr key={m.id} data-testid="model-row" data-id={m.id}>
                <td>
                  <code>{m.id}</code>
                  {m.auto && <span className="dim"> (auto)</span>}
                </td>
                <td>{m.title ?? ''}</td>
                <td>{m.objective ?? ''}</td>
                <td>{m.maxSeconds !== undefined ? `${Math.round(m.maxSeconds)} s` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="dim">
        Nodes use “auto” unless told otherwise: the best installed pack. Lengths beyond the selected pack are marked on the node before Run.
      </p>
      <h3>Get packs</h3>
      <Catalogue />
    </Modal>
  );
}
