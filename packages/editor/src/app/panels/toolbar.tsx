import { useActions, useAppState, useStore } from '../app-context.js';
import { QueueButton } from './queue-panel.js';
import { RunButton } from './run-button.js';
import { WorkflowNameField } from './workflow-name-field.js';

export function Toolbar() {
  const actions = useActions();
  const store = useStore();
  const hasReport = useAppState((s) => s.report !== null);
  return (
    <header className="toolbar">
      <div className="brand">
        <span className="logo" />
        sa3 <span className="dim">workflows</span>
      </div>
      <WorkflowNameField />
      <div className="group">
        <button onClick={() => void actions.newGraph()} title="Start an empty graph (undo brings this one back)" data-testid="new">
          New
        </button>
        <button onClick={() => actions.chooseFile()} title="Open a workflow .json or audio saved by sa3 (Ctrl+O)" data-testid="open">
          Open
        </button>
        <button onClick={() => actions.saveFile()} title="Download the workflow as .json (Ctrl+S)" data-testid="save">
          Save
        </button>
        <button onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'gallery' })} data-testid="open-gallery">
          Examples
        </button>
      </div>
      <div className="group">
        <button onClick={() => actions.undo()} title="Undo (Ctrl+Z)" data-testid="undo">
          ↶
        </button>
        <button onClick={() => actions.redo()} title="Redo (Ctrl+Y)" data-testid="redo">
          ↷
        </button>
        <button onClick={() => actions.arrange()} title="Arrange the graph left to right" data-testid="arrange">
          Arrange
        </button>
        <button onClick={() => actions.zoomToFit()} title="Zoom to fit" data-testid="fit">
          Fit
        </button>
      </div>
      <div className="spacer" />
      <div className="group">
        <button onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'models' })} data-testid="open-models">
          Models
        </button>
        <button onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'history' })} data-testid="open-history" title="Every run kept on the server">
          History
        </button>
        <QueueButton />
        <button
          onClick={() => store.dispatch({ type: 'dialog-opened', dialog: 'report' })}
          disabled={!hasReport}
          data-testid="open-report"
          title="Seeds used, times, files of the last run"
        >
          Report
        </button>
      </div>
      <RunButton />
    </header>
  );
}
