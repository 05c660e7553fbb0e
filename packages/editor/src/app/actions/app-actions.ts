import { accessToken } from '../access-token.js';
import { api, SubmitError, type ExampleEntry, type ModelEntry } from '../api.js';
import { authorizedFetch, onUnauthorized } from '../authorized-fetch.js';
import { autosave, debounce } from '../autosave.js';
import { copySelection, paste } from '../clipboard.js';
import { createEditorStack, type EditorStack } from '../editor-stack.js';
import { downloadText, fileNameFor, workflowTextFromFile } from '../open-file.js';
import { bindShortcuts } from '../shortcuts.js';
import { recordParamEdit } from '../param-undo.js';
import { historyApi } from '../history-api.js';
import { restoredNodeRunStates } from '../store/node-run-states.js';
import type { Sa3Node } from '../../plugin/index.js';
import type { AppStore } from '../store/index.js';
import type { LooseWire } from '../node-types.js';
import { EMPTY_WORKFLOW, openWorkflowText, restoreAutosaved } from './open-workflow.js';
import { cancelRun, runWorkflow } from './run-workflow.js';
import { showRunStates } from './show-run-states.js';

/** What the user can do, wired to the Rete editor, the server and the store. */
export class AppActions {
  private stack: EditorStack | null = null;
  private pickFile: (() => void) | null = null;
  private readonly autosaveSoon = debounce(() => this.autosaveNow(), 250);
  /** The graph's text when it was last opened, saved or made new; null when it may hold unsaved work. */
  private savedText: string | null = null;
  /** What replaces the graph once the user says yes (asked while replacing is set in the store). */
  private pendingReplace: (() => Promise<void>) | null = null;

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
      selectAll: () => void this.stack?.selectAll(),
      run: () => void this.run(),
      open: () => this.chooseFile(),
    });
    const flush = (): void => this.autosaveSoon.flush();
    window.addEventListener('beforeunload', flush);
    // Packs and LoRA files installed from a terminal meanwhile show up when the page is back in front.
    const relist = (): void => this.relistModels();
    window.addEventListener('focus', relist);
    this.loadModels();
    return () => {
      stopListening();
      unbind();
      window.removeEventListener('beforeunload', flush);
      window.removeEventListener('focus', relist);
    };
  }

  /** Builds the Rete editor in the canvas and brings back the autosaved graph; returns the teardown. */
  attachCanvas(container: HTMLElement): () => void {
    const stack = createEditorStack(container, {
      fetch: authorizedFetch,
      models: () => (this.store.getState().models ?? []).map((m) => m.id),
      packs: () => this.store.getState().models ?? [],
      loras: () => this.store.getState().loras,
      onRefused: (reason) => this.store.toast('error', `Wire refused: ${reason}`),
      onParamChange: (node, key, edit) => {
        if (edit) recordParamEdit(stack.history, node, key, edit.previous, (changed) => this.paramUndone(changed));
        this.autosaveSoon();
      },
      onGraphChange: () => {
        // At once, not with the autosave: the empty-canvas hint goes as soon as a node is there.
        this.store.dispatch({ type: 'graph-changed', nodeCount: stack.editor.getNodes().length });
        this.autosaveSoon();
      },
      onGraphReplaced: () => {
        this.savedText = null;
        this.store.dispatch({ type: 'workflow-opened', name: stack.sa3.header.name });
      },
      onLooseWire: (wire, clientX, clientY) => this.openFinder(clientX, clientY, wire),
    });
    this.stack = stack;
    const stopShowing = showRunStates(this.store, stack.sa3);
    void restoreAutosaved(stack, this.store).then(() => this.restoreLastRun());
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
      (models) => this.modelsListed(models),
      (error: Error) =>
        this.store.dispatch({ type: 'models-failed', message: error.message, needsToken: error instanceof SubmitError && error.status === 401 }),
    );
  }

  private modelsListed(models: readonly ModelEntry[]): void {
    this.store.dispatch({ type: 'models-listed', models });
    // Lengths beyond a node's selected pack are marked from the packs listed.
    for (const node of this.stack?.editor.getNodes() ?? []) this.stack?.sa3.refresh(node.id);
    this.loadLoras();
  }

  /** Lists the packs again without saying "connecting"; a failure keeps what was listed (Run and the Models panel say why). */
  private relistModels(): void {
    if (this.store.getState().connection !== 'connected') return;
    api.models().then(
      (models) => this.modelsListed(models),
      () => undefined,
    );
  }

  /** The LoRA files LoRA nodes offer; a server without the route (an older one) just offers none. */
  private loadLoras(): void {
    api.loras().then(
      (loras) => {
        this.store.dispatch({ type: 'loras-listed', loras });
        for (const node of this.stack?.editor.getNodes() ?? []) if (node.type === 'sa3.lora') this.stack?.sa3.refresh(node.id);
      },
      () => undefined,
    );
  }

  submitToken(token: string): void {
    accessToken.set(token);
    this.store.dispatch({ type: 'token-given' });
    this.loadModels();
  }

  /** Replaces the graph with a workflow's text (asking first when the graph holds edits); `source` names it in messages. */
  async openText(text: string, source: string): Promise<void> {
    await this.replaceAsking(source, async () => {
      const stack = this.stack;
      if (stack && (await openWorkflowText(stack, this.store, text, source))) this.savedText = stack.sa3.serialize();
    });
  }

  /** A workflow .json, or audio saved by sa3 (the workflow is embedded in it). */
  async openFile(file: File): Promise<void> {
    let text: string;
    try {
      text = await workflowTextFromFile(file);
    } catch (error) {
      return this.store.toast('error', (error as Error).message);
    }
    await this.openText(text, file.name);
  }

  openExample(example: ExampleEntry): void {
    this.store.dispatch({ type: 'dialog-closed' });
    void this.openText(example.text, example.file);
  }

  /** An empty graph without a name (asking first when the graph holds edits); undo brings the old one back. */
  async newGraph(): Promise<void> {
    await this.replaceAsking('a new, empty graph', async () => {
      const stack = this.stack;
      if (!stack) return;
      await stack.replaceWorkflow(EMPTY_WORKFLOW);
      this.store.dispatch({ type: 'workflow-opened', name: undefined });
      this.savedText = stack.sa3.serialize();
    });
  }

  /** Whether the graph holds work that replacing it would throw away: nodes, changed since opened or saved. */
  isEdited(): boolean {
    const stack = this.stack;
    return !!stack && stack.editor.getNodes().length > 0 && stack.sa3.serialize() !== this.savedText;
  }

  /** The user's answer to "replace the edited graph?". */
  answerReplace(replace: boolean): void {
    const pending = this.pendingReplace;
    this.pendingReplace = null;
    this.store.dispatch({ type: 'replace-answered' });
    if (replace && pending) void pending();
  }

  saveFile(): void {
    const stack = this.stack;
    if (!stack) return;
    const text = stack.sa3.serialize();
    downloadText(text, fileNameFor(stack.sa3.header.name));
    this.savedText = text;
  }

  /** The node search box at a point of the page; with a loose wire it lists the types that take it. */
  openFinder(clientX: number, clientY: number, wire?: LooseWire): void {
    this.store.dispatch({ type: 'finder-opened', finder: { clientX, clientY, ...(wire ? { wire } : {}) } });
  }

  closeFinder(): void {
    this.store.dispatch({ type: 'finder-closed' });
  }

  /** Adds the type chosen in the node search box where it opened (plugged into its wire, if any). */
  async addFromFinder(type: string): Promise<void> {
    const finder = this.store.getState().finder;
    const stack = this.stack;
    this.closeFinder();
    if (!finder || !stack) return;
    const at = stack.graphPoint(finder.clientX, finder.clientY);
    try {
      if (finder.wire) await stack.addNodeOnWire(type, finder.wire, at);
      else await stack.addNode(type, at);
    } catch (error) {
      this.store.toast('error', (error as Error).message);
    }
  }

  rename(name: string): void {
    this.store.dispatch({ type: 'workflow-renamed', name });
    const stack = this.stack;
    if (!stack) return;
    if (name === '') delete stack.sa3.header.name;
    else stack.sa3.header.name = name;
    this.autosaveSoon();
  }

  /** Adds a node at a graph position, or else beside the rightmost node; the view pans to show it whole. */
  async addNode(type: string, at?: { x: number; y: number }): Promise<void> {
    await this.stack?.addNode(type, at);
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

  private async replaceAsking(replacing: string, replace: () => Promise<void>): Promise<void> {
    if (!this.isEdited()) return replace();
    this.pendingReplace = replace;
    this.store.dispatch({ type: 'replace-asked', replacing });
  }

  private copy(): void {
    if (!this.stack) return;
    const count = copySelection(this.stack);
    if (count > 0) this.store.toast('info', `Copied ${count} node(s)`);
  }

  /** After a reload: the newest take's players on the nodes it ran, when the graph has those nodes. */
  private async restoreLastRun(): Promise<void> {
    try {
      const take = (await historyApi.page()).takes[0];
      const graph = this.stack?.editor;
      if (!take || !graph || !take.outputs.some((o) => graph.getNode(o.node))) return;
      const detail = await historyApi.detail(take.id);
      if (!detail.report) return;
      const saved = (node: string, path: string): string | undefined => take.outputs.find((o) => o.node === node && o.output === path)?.url;
      this.store.dispatch({ type: 'run-restored', nodeRunStates: restoredNodeRunStates(take.id, detail.report, saved, take.seeds) });
    } catch {
      /* no history here (an older server, or none kept yet): the nodes start without players */
    }
  }

  /** A take's seeds (node -> param -> seed) into the graph's nodes of the same ids; says how many were set. */
  applySeeds(seeds: Readonly<Record<string, Readonly<Record<string, number>>>>): void {
    const stack = this.stack;
    if (!stack) return;
    let set = 0;
    for (const [nodeId, params] of Object.entries(seeds)) {
      const node = stack.editor.getNode(nodeId);
      if (!node) continue;
      for (const [key, seed] of Object.entries(params)) {
        const previous = node.params[key];
        node.setParam(key, seed);
        recordParamEdit(stack.history, node, key, previous, (changed) => this.paramUndone(changed));
        set++;
      }
      stack.sa3.refresh(nodeId);
    }
    this.autosaveSoon();
    this.store.toast(set > 0 ? 'info' : 'error', set > 0 ? `Set ${set} seed(s) from the take` : 'The graph has none of the nodes this take was seeded on');
  }

  /** A param edit undone or redone: the node (and what draws from it) shows the value, and the graph is kept. */
  private paramUndone(node: Sa3Node): void {
    this.stack?.sa3.refresh(node.id);
    for (const c of this.stack?.editor.getConnections() ?? []) if (c.source === node.id) this.stack?.sa3.refresh(c.target);
    this.autosaveSoon();
  }

  private autosaveNow(): void {
    const stack = this.stack;
    if (!stack) return;
    autosave.save(stack.sa3.serialize());
    this.store.dispatch({ type: 'graph-autosaved', nodeCount: stack.editor.getNodes().length, at: new Date().toLocaleTimeString() });
  }
}
