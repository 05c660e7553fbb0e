import { api, SubmitError } from '../api.js';
import type { EditorStack } from '../editor-stack.js';
import { followRun, type RunEvent } from '../run-events.js';
import type { AppStore } from '../store/index.js';

function announceEnd(store: AppStore, event: RunEvent): void {
  if (event.type === 'run-done') store.toast('info', `Run finished in ${((event.report?.durationMs ?? 0) / 1000).toFixed(1)} s`);
  else if (event.type === 'run-cancelled') store.toast('info', 'Run cancelled');
  else if (event.type === 'run-error') store.toast('error', `Run failed: ${event.report?.error?.message ?? 'see the node in red'}`);
}

/** Marks the nodes the local check refuses (wiring problems show on the input), and says so. */
function refuseLocally(stack: EditorStack, store: AppStore, problems: ReturnType<EditorStack['sa3']['problems']>): void {
  for (const [id, list] of problems) {
    const node = stack.editor.getNode(id)!;
    node.serverProblems = list.filter((p) => p.input !== undefined);
    stack.sa3.refresh(id);
  }
  const [firstId, firstList] = [...problems][0]!;
  store.toast('error', `${problems.size} node(s) need attention before running; ${firstId}: ${firstList[0]!.message}`);
}

function reportSubmitFailure(stack: EditorStack, store: AppStore, error: unknown): void {
  if (error instanceof SubmitError && error.status === 401) return; // the token prompt says it
  if (!(error instanceof SubmitError)) return store.toast('error', `The server could not be reached: ${(error as Error).message}`);
  for (const problem of error.problems) {
    const node = problem.node ? stack.editor.getNode(problem.node) : undefined;
    if (!node) continue;
    node.serverProblems.push(problem);
    stack.sa3.refresh(node.id);
  }
  store.toast('error', error.problems[0] ? `The server refused the workflow: ${error.problems[0].message}` : error.message);
}

/** Checks the graph, submits it and follows the run's events into the store until its end. */
export async function runWorkflow(stack: EditorStack, store: AppStore): Promise<void> {
  if (store.getState().run) return;
  store.dispatch({ type: 'run-requested' });
  stack.sa3.resetRunStates(); // and the problems the server found last time
  if (stack.editor.getNodes().length === 0) return store.toast('error', 'There is nothing to run yet: add nodes from the palette or the right-click menu');
  const problems = stack.sa3.problems();
  if (problems.size > 0) return refuseLocally(stack, store, problems);
  store.dispatch({ type: 'run-submitted' });
  try {
    const submitted = await api.submitRun(stack.sa3.exportWorkflow());
    store.dispatch({ type: 'run-accepted', id: submitted.id });
    followRun(
      submitted.id,
      (event) => {
        store.dispatch({ type: 'run-event', event });
        // Increment / randomize: the next Run differs from this one.
        if (event.type === 'run-done') stack.sa3.applySeedModes();
        announceEnd(store, event);
      },
      (error) => {
        store.dispatch({ type: 'run-lost' });
        store.toast('error', `The run's progress could not be followed: ${error.message}`);
      },
    );
  } catch (error) {
    store.dispatch({ type: 'run-lost' });
    reportSubmitFailure(stack, store, error);
  }
}

export async function cancelRun(store: AppStore): Promise<void> {
  const id = store.getState().run?.id;
  if (!id) return;
  store.dispatch({ type: 'run-cancel-requested' });
  await api.cancelRun(id).catch((e: Error) => store.toast('error', `Cancel failed: ${e.message}`));
}
