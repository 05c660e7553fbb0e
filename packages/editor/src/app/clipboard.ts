import type { Workflow } from '../workflow-json/index.js';
import type { EditorStack } from './editor-stack.js';
import { editorToWorkflow } from '../plugin/index.js';
import { asOneStep } from './history-groups.js';

const KEY = 'sa3-editor:clipboard';

interface Fragment {
  readonly format: 'sa3-workflow-fragment';
  readonly nodes: Workflow['nodes'];
  readonly connections: Workflow['connections'];
}

/** Copies the selected nodes and the wires between them (kept in storage, so other tabs can paste). */
export function copySelection(stack: EditorStack): number {
  const ids = new Set(stack.selectedIds());
  if (ids.size === 0) return 0;
  const whole = editorToWorkflow(stack.editor, stack.area, {});
  const fragment: Fragment = {
    format: 'sa3-workflow-fragment',
    nodes: whole.nodes.filter((n) => ids.has(n.id)),
    connections: whole.connections.filter((c) => ids.has(c.from[0]) && ids.has(c.to[0])),
  };
  localStorage.setItem(KEY, JSON.stringify(fragment));
  return fragment.nodes.length;
}

/** Pastes the copied nodes beside their originals, selected, as one undo step. */
export async function paste(stack: EditorStack): Promise<number> {
  const text = localStorage.getItem(KEY);
  if (!text) return 0;
  const fragment = JSON.parse(text) as Fragment;
  let added: { id: string }[] = [];
  await asOneStep(stack.history, async () => {
    added = await stack.sa3.addFragment(fragment, [40, 60]);
  });
  await stack.select(added.map((n) => n.id));
  return added.length;
}
