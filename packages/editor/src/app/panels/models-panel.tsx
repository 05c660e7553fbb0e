import { useAppState, useStore } from '../app-context.js';
import { Modal } from './modal.js';

export function ModelsPanel() {
  const store = useStore();
  const models = useAppState((s) => s.models);
  const error = useAppState((s) => s.modelsError);
  return (
    <Modal title="Model packs" onClose={() => store.dispatch({ type: 'dialog-closed' })} testId="models-panel">
      {error && <p className="problem">The server could not list its models: {error}</p>}
      {models && models.length === 0 && (
        <p className="dim">
          No model pack is installed on the server. Install one with <code>sa3 models pull small-music</code> (or write a test pack with{' '}
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
              <tr key={m.id} data-testid="model-row">
                <td>
                  <code>{m.id}</code>
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
        Nodes use “auto” unless told otherwise: the best installed pack. Pull more with <code>sa3 models pull ID</code> on the server.
      </p>
    </Modal>
  );
}
