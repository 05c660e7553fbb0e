import { autosave } from '../autosave.js';
import type { EditorStack } from '../editor-stack.js';
import type { AppStore } from '../store/index.js';

/** The User Timing measure of each workflow opened (DevTools shows it; the editor benchmark reads it). */
export const OPEN_WORKFLOW_MEASURE = 'sa3: open workflow';

/** The file text of a new, empty graph. */
export const EMPTY_WORKFLOW = JSON.stringify({ format: 'sa3-workflow', version: 1, nodes: [], connections: [] });

/**
 * Replaces the graph with a workflow's text (undo brings the previous one back) and says how it
 * went; `source` names it in messages. Resolves to whether it opened.
 */
export async function openWorkflowText(stack: EditorStack, store: AppStore, text: string, source: string): Promise<boolean> {
  try {
    const started = performance.now();
    const nodes = await stack.replaceWorkflow(text);
    performance.measure(OPEN_WORKFLOW_MEASURE, { start: started, detail: { source, nodes: nodes.length } });
    store.dispatch({ type: 'workflow-opened', name: stack.sa3.header.name });
    const placeholders = nodes.filter((n) => n.isPlaceholder).length;
    store.toast(
      'info',
      `Opened ${source}: ${nodes.length} nodes${placeholders ? `, ${placeholders} of an unknown type (shown in red, kept as they are)` : ''}`,
    );
    return true;
  } catch (error) {
    store.toast('error', `${source} could not be opened: ${(error as Error).message}`);
    return false;
  }
}

/** Brings back the graph kept in this browser, if any, with a fresh undo history. */
export async function restoreAutosaved(stack: EditorStack, store: AppStore): Promise<void> {
  const saved = autosave.load();
  if (saved) {
    try {
      await stack.openWorkflow(saved);
      store.dispatch({ type: 'workflow-opened', name: stack.sa3.header.name });
    } catch (error) {
      store.toast('error', `The autosaved graph could not be restored: ${(error as Error).message}`);
    }
  }
  stack.history.clear();
  store.dispatch({ type: 'graph-restored', nodeCount: stack.editor.getNodes().length });
}
