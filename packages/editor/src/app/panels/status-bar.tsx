import { useAppState } from '../app-context.js';
import type { AppState } from '../store/index.js';

function runStatus({ run, report }: AppState): string {
  if (run) return run.phase === 'running' ? `running ${run.id}` : run.phase;
  return report ? `last run ${report.status}` : 'ready';
}

export function StatusBar() {
  const nodeCount = useAppState((s) => s.nodeCount);
  const status = useAppState(runStatus);
  const autosavedAt = useAppState((s) => s.autosavedAt);
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>{nodeCount} nodes</span>
      <span data-testid="run-status">{status}</span>
      <span className="dim">{autosavedAt ? `kept in this browser at ${autosavedAt}` : ''}</span>
      <span className="spacer" />
      <span className="dim">Del delete · Ctrl+Z/Y undo/redo · Ctrl+C/V copy/paste · Ctrl+S save · Ctrl+Enter run</span>
    </footer>
  );
}
