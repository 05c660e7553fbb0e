import { accessToken } from '../access-token.js';
import { api, SubmitError, type ExampleEntry } from '../api.js';
import { authorizedFetch, onUnauthorized } from '../authorized-fetch.js';
import { autosave, debounce } from '../autosave.js';
import { copySelection, paste } from '../clipboard.js';
import { createEditorStack, type EditorStack } from '../editor-stack.js';
import { downloadText, fileNameFor, workflowTextFromFile } from '../open-file.js';
import { bindShortcuts } from '../shortcuts.js';
import type { AppStore } from '../store/index.js';
import { openWorkflowText, restoreAutosaved } from './open-workflow.js';
import { cancelRun, runWorkflow } from './run-workflow.js';
import { showRunStates } from './show-run-states.js';

/** What the user can do, wired to the Rete editor, the server and the store. */
export class AppActions {
  private stack: EditorStack | null = null;
  private pickFile: (() => void) | null = null;
  private readonly autosaveSoon = debounce(() => this.autosaveNow(), 250);

  constructor(private readonly store: AppStore) {}

  /** Asks for the model list and listens to the keyboard, the server's refusals and page unload; returns the teardown. */
  start(): () => void {
    const stopListening = onUnauthorized(() => this.store.dispatch({ type: 'token-refused', hadToken: Boolean(accessToken.get()) }));
    const unbind = bindShortcuts({
      deleteSelection: () => void this.stack?.deleteNodes(this.stack.selectedIds()),
      undo: () => this.undo(),
      redo: () => this.redo(),
      copy: () => this.copy(),
      paste: () => void (this.stack && paste(this.stack)),
      save: () => this.saveFile(),
      run: () => void this.run(),
      open: () => this.chooseFile(),
    });
    const flush = (): void => this.autosaveSoon.flush();
    window.addEventListener('beforeunload', flush);
    this.loadModels();
    return () => {
      stopListening();
      unbind();
      window.removeEventListener('beforeunload', flush);
    };
  }

  /** Builds the Rete editor in the canvas and brings back the autosaved graph; returns the teardown. */
  attachCanvas(container: HTMLElement): () => void {
    const stack = createEditorStack(container, {
      fetch: authorizedFetch,
      models: () => (this.store.getState().models ?? []).map((m) => m.id),
      packs: () => this.store.getState().models ?? [],
      onRefused: (reason) => this.store.toast('error', `Wire refused: ${reason}`),
      onParamChange: () => this.autosaveSoon(),
      onGraphChange: () => this.autosaveSoon(),
    });
    this.stack = stack;
    const stopShowing = showRunStates(this.store, stack.sa3);
    void restoreAutosaved(stack, this.store);
    return () => {
      stopShowing();
      this.stack = null;
      stack.destroy();
    };
  }

  /** What Open and Ctrl+O do: the file input's click (the page's input registers it); returns the unregister. */
  setFilePicker(pick: () => void): () => void {
    this.pickFile = pick;
    return () => {
      if (this.pickFile === pick) this.pickFile = null;
    };
  }

  chooseFile(): void {
    this.pickFile?.();
  }

  loadModels(): void {
    this.store.dispatch({ type: 'models-requested' });
    api.models().then(
      (models) => {
        this.store.dispatch({ type: 'models-listed', models });
        // Lengths beyond a node's selected pack are marked from the packs listed.
        for (const node of this.stack?.editor.getNodes() ?? []) this.stack?.sa3.refresh(node.id);
      },
      (error: Error) =>
        this.store.dispatch({ type: 'models-failed', message: error.message, needsToken: error instanceof SubmitError && error.status === 401 }),
    );
  }

  submitToken(token: string): void {
    accessToken.set(token);
    this.store.dispatch({ type: 'token-given' });
    this.loadModels();
  }

  /** Replaces the graph with a workflow's text; `source` names it in messages. */
  async openText(text: string, source: string): Promise<void> {
    if (this.stack) await openWorkflowText(this.stack, this.store, text, source);
  }

  /** A workflow .json, or audio saved by sa3 (the workflow is embedded in it). */
  async openFile(file: File): Promise<void> {
    try {
      await this.openText(await workflowTextFromFile(file), file.name);
    } catch (error) {
      this.store.toast('error', (error as Error).message);
    }
  }

  openExample(example: ExampleEntry): void {
    this.store.dispatch({ type: 'dialog-closed' });
    void this.openText(example.text, example.file);
  }

  saveFile(): void {
    const stack = this.stack;
    if (stack) downloadText(stack.sa3.serialize(), fileNameFor(stack.sa3.header.name));
  }

  rename(name: string): void {
    this.store.dispatch({ type: 'workflow-renamed', name });
    const stack = this.stack;
    if (!stack) return;
    if (name === '') delete stack.sa3.header.name;
    else stack.sa3.header.name = name;
    this.autosaveSoon();
  }

  /** Adds a node at a graph position, or else beside the rightmost node; the view follows it. */
  async addNode(type: string, at?: { x: number; y: number }): Promise<void> {
    const stack = this.stack;
    if (!stack) return;
    const position = at ?? stack.newNodePosition();
    const node = await stack.sa3.addNode(type, position);
    if (!stack.inView({ ...position, width: node.width, height: node.height })) await stack.zoomToFit();
  }

  /** A node dragged from the palette and dropped at a point on the page. */
  async dropNode(type: string, clientX: number, clientY: number): Promise<void> {
    if (this.stack) await this.addNode(type, this.stack.graphPoint(clientX, clientY));
  }

  async run(): Promise<void> {
    if (this.stack) await runWorkflow(this.stack, this.store);
  }

  async cancelRun(): Promise<void> {
    await cancelRun(this.store);
  }

  undo(): void {
    void this.stack?.history.undo();
  }

  redo(): void {
    void this.stack?.history.redo();
  }

  arrange(): void {
    void this.stack?.arrange();
  }

  zoomToFit(): void {
    void this.stack?.zoomToFit();
  }

  private copy(): void {
    if (!this.stack) return;
    const count = copySelection(this.stack);
    if (count > 0) this.store.toast('info', `Copied ${count} node(s)`);
  }

  private autosaveNow(): void {
    const stack = this.stack;
    if (!stack) return;
    autosave.save(stack.sa3.serialize());
    this.store.dispatch({ type: 'graph-autosaved', nodeCount: stack.editor.getNodes().length, at: new Date().toLocaleTimeString() });
  }
}
