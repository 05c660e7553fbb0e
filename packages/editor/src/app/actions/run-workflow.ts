import { isFinalRunEvent } from '@sa3/nodes';
import { api, SubmitError } from '../api.js';
import type { EditorStack } from '../editor-stack.js';
import { followRun, type RunEvent } from '../run-events.js';
import type { AppStore } from '../store/index.js';

function announceEnd(store: AppStore, event: RunEvent, take: string): void {
  if (event.type === 'run-done') store.toast('info', `Run finished in ${((event.report?.durationMs ?? 0) / 1000).toFixed(1)} s${take}`);
  else if (event.type === 'run-cancelled') store.toast('info', `Run cancelled${take}`);
  else if (event.type === 'run-error') store.toast('error', `Run failed${take}: ${event.report?.error?.message ?? 'see the node in red'}`);
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
    const count = store.getState().batchCount;
    const workflow = stack.sa3.exportWorkflow();
    const batch = count > 1 ? (await api.submitBatch(workflow, count)).map((run) => run.id) : [(await api.submitRun(workflow)).id];
    followInTurn(stack, store, batch, 0);
  } catch (error) {
    store.dispatch({ type: 'run-lost' });
    reportSubmitFailure(stack, store, error);
  }
}

/** Follows the runs of one press of Run one after another (Run xN), each run's events into the store as they come. */
function followInTurn(stack: EditorStack, store: AppStore, batch: readonly string[], index: number): void {
  const id = batch[index]!;
  store.dispatch({ type: 'run-accepted', id, batch });
  followRun(
    id,
    (event) => {
      store.dispatch({ type: 'run-event', event });
      // Increment / randomize: the next Run differs from this one (after a batch, from its last take).
      if (event.type === 'run-done') stack.sa3.applySeedModes();
      announceEnd(store, event, batch.length > 1 ? ` (take ${index + 1} of ${batch.length})` : '');
      if (isFinalRunEvent(event) && index + 1 < batch.length) followInTurn(stack, store, batch, index + 1);
    },
    (error) => {
      store.dispatch({ type: 'run-lost' });
      store.toast('error', `The run's progress could not be followed: ${error.message}`);
    },
  );
}

/** Cancels the run on and the ones of its batch still to come (those first, so none starts meanwhile). */
export async function cancelRun(store: AppStore): Promise<void> {
  const run = store.getState().run;
  if (!run?.id) return;
  store.dispatch({ type: 'run-cancel-requested' });
  const ids = [...run.batch.slice(run.batch.indexOf(run.id) + 1), run.id];
  const failures = await Promise.all(
    ids.map((id) =>
      api.cancelRun(id).then(
        () => null,
        (e: Error) => e,
      ),
    ),
  );
  const failed = failures.find((e) => e !== null);
  if (failed) store.toast('error', `Cancel failed: ${failed.message}`);
}
