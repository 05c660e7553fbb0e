import { useActions, useAppState } from '../app-context.js';
import { Modal } from './modal.js';

/** Asks before an open, an example, New or a dropped file replaces a graph holding edits. */
export function ReplaceDialog() {
  const actions = useActions();
  const replacing = useAppState((s) => s.replacing);
  if (replacing === null) return null;
  return (
    <Modal title="Replace the graph?" onClose={() => actions.answerReplace(false)} testId="replace-dialog">
      <p data-testid="replace-question">The graph on the canvas has changes that are not saved. Replace it with {replacing}? Undo (Ctrl+Z) brings it back.</p>
      <div className="dialog-buttons">
        <button onClick={() => actions.answerReplace(false)} data-testid="replace-cancel">
          Keep editing
        </button>
        <button className="primary" autoFocus onClick={() => actions.answerReplace(true)} data-testid="replace-confirm">
          Replace
        </button>
      </div>
    </Modal>
  );
}
