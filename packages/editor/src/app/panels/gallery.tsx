import { useEffect, useState } from 'react';
import { api, type ExampleEntry } from '../api.js';
import { useActions, useStore } from '../app-context.js';
import { Modal } from './modal.js';

export function Gallery() {
  const actions = useActions();
  const store = useStore();
  const [examples, setExamples] = useState<ExampleEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.examples().then(setExamples, (e: Error) => setError(e.message));
  }, []);
  return (
    <Modal title="Examples" onClose={() => store.dispatch({ type: 'dialog-closed' })} testId="gallery">
      {error && <p className="problem">The examples could not be listed: {error}</p>}
      {!examples && !error && <p className="dim">Loading…</p>}
      <div className="gallery-grid">
        {examples?.map((example) => (
          <button key={example.file} className="gallery-item" data-testid="gallery-item" data-file={example.file} onClick={() => actions.openExample(example)}>
            <strong>{example.name}</strong>
            <span>{example.description}</span>
            <code>{example.file}</code>
          </button>
        ))}
      </div>
    </Modal>
  );
}
