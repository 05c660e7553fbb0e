import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { NodeRunState } from '../plugin/index.js';
import { accessToken } from './access-token.js';
import { api, SubmitError, type ExampleEntry, type ModelEntry, type RunReport } from './api.js';
import { authorizedFetch, onUnauthorized } from './authorized-fetch.js';
import { autosave, debounce } from './autosave.js';
import { copySelection, paste } from './clipboard.js';
import { createEditorStack, type EditorStack } from './editor-stack.js';
import { downloadText, fileNameFor, workflowTextFromFile } from './open-file.js';
import { applyRunEvent } from './run-controller.js';
import { followRun } from './run-events.js';
import { bindShortcuts } from './shortcuts.js';
import { Gallery } from './panels/gallery.js';
import { ModelsPanel } from './panels/models-panel.js';
import { PALETTE_MIME, Palette } from './panels/palette.js';
import { ReportPanel } from './panels/report-panel.js';
import { Toasts, type Toast } from './panels/toasts.js';
import { TokenPrompt } from './panels/token-prompt.js';

type Panel = 'gallery' | 'models' | 'report' | null;
type RunUi = { readonly id: string | null; readonly phase: 'submitting' | 'running' | 'cancelling' };
/** What the server said to the app's first request (the model list), for the UI and tests. */
type Connection = 'connecting' | 'connected' | 'needs-token' | 'unreachable';

export function App() {
  const canvas = useRef<HTMLDivElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const stackRef = useRef<EditorStack | null>(null);
  const modelIds = useRef<string[]>([]);
  const runRef = useRef<RunUi | null>(null);
  const [ready, setReady] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [run, setRunUi] = useState<RunUi | null>(null);
  const [report, setReport] = useState<RunReport | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [models, setModels] = useState<ModelEntry[] | null>(null);
  const [modelsError, setModelsError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [nodeCount, setNodeCount] = useState(0);
  const [dropping, setDropping] = useState(false);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [tokenPrompt, setTokenPrompt] = useState<'missing' | 'refused' | null>(null);
  const [tokenVersion, setTokenVersion] = useState(0);

  const setRun = (value: RunUi | null): void => {
    runRef.current = value;
    setRunUi(value);
  };

  const toast = useCallback((kind: Toast['kind'], text: string) => {
    const id = Date.now() + Math.random();
    setToasts((list) => [...list.slice(-3), { id, kind, text }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), kind === 'error' ? 12_000 : 5_000);
  }, []);

  const loadCatalogue = useCallback(() => {
    setConnection('connecting');
    api.models().then(
      (list) => {
        modelIds.current = list.map((m) => m.id);
        setModels(list);
        setModelsError(null);
        setConnection('connected');
      },
      (error: SubmitError | Error) => {
        setModelsError(error.message);
        setConnection(error instanceof SubmitError && error.status === 401 ? 'needs-token' : 'unreachable');
      },
    );
  }, []);

  const submitToken = useCallback(
    (token: string) => {
      accessToken.set(token);
      setTokenPrompt(null);
      setTokenVersion((v) => v + 1);
      loadCatalogue();
    },
    [loadCatalogue],
  );

  const save = useRef(
    debounce(() => {
      const stack = stackRef.current;
      if (!stack) return;
      autosave.save(stack.sa3.serialize());
      setNodeCount(stack.editor.getNodes().length);
      setSavedAt(new Date().toLocaleTimeString());
    }, 250),
  ).current;

  const openText = useCallback(
    async (text: string, source: string) => {
      const stack = stackRef.current;
      if (!stack) return;
      try {
        const nodes = await stack.openWorkflow(text);
        setName(stack.sa3.header.name ?? '');
        const placeholders = nodes.filter((n) => n.isPlaceholder).length;
        toast('info', `Opened ${source}: ${nodes.length} nodes${placeholders ? `, ${placeholders} of an unknown type (shown in red, kept as they are)` : ''}`);
      } catch (error) {
        toast('error', `${source} could not be opened: ${(error as Error).message}`);
      }
    },
    [save, toast],
  );

  const openFile = useCallback(
    async (file: File) => {
      try {
        await openText(await workflowTextFromFile(file), file.name);
      } catch (error) {
        toast('error', (error as Error).message);
      }
    },
    [openText, toast],
  );

  const addNode = useCallback(async (type: string, at?: { x: number; y: number }) => {
    const stack = stackRef.current;
    if (!stack) return;
    let position = at;
    if (!position) {
      // Next to the rightmost node, so a chain built from the palette reads left to right.
      let best: { x: number; y: number } | null = null;
      for (const view of stack.area.nodeViews.values()) if (!best || view.position.x > best.x) best = view.position;
      position = best ? { x: best.x + 340, y: best.y } : stack.viewCentre();
    }
    const node = await stack.sa3.addNode(type, position);
    const rect = canvas.current!.getBoundingClientRect();
    const { x, y, k } = stack.area.area.transform;
    const right = (position.x + node.width) * k + x;
    const bottom = (position.y + node.height) * k + y;
    if (position.x * k + x < 0 || right > rect.width || position.y * k + y < 0 || bottom > rect.height) await stack.zoomToFit();
  }, []);

  const runWorkflow = useCallback(async () => {
    const stack = stackRef.current;
    if (!stack || runRef.current) return;
    stack.sa3.resetRunStates();
    if (stack.editor.getNodes().length === 0) return toast('error', 'There is nothing to run yet: add nodes from the palette or the right-click menu');
    const problems = stack.sa3.problems();
    if (problems.size > 0) {
      for (const [id, list] of problems) {
        const node = stack.editor.getNode(id)!;
        node.serverProblems = list.filter((p) => p.input !== undefined);
        stack.sa3.refresh(id);
      }
      const [firstId, firstList] = [...problems][0]!;
      return toast('error', `${problems.size} node(s) need attention before running; ${firstId}: ${firstList[0]!.message}`);
    }
    setRun({ id: null, phase: 'submitting' });
    try {
      const submitted = await api.submitRun(stack.sa3.exportWorkflow());
      setRun({ id: submitted.id, phase: 'running' });
      const states = new Map<string, NodeRunState>();
      followRun(
        submitted.id,
        (event) => {
          applyRunEvent(stack.sa3, event, states);
          if (event.type === 'run-done' || event.type === 'run-error' || event.type === 'run-cancelled') {
            setRun(null);
            setReport(event.report);
            if (event.type === 'run-done') toast('info', `Run finished in ${((event.report?.durationMs ?? 0) / 1000).toFixed(1)} s`);
            else if (event.type === 'run-cancelled') toast('info', 'Run cancelled');
            else toast('error', `Run failed: ${event.report?.error?.message ?? 'see the node in red'}`);
          }
        },
        (error) => {
          setRun(null);
          toast('error', `The run's progress could not be followed: ${error.message}`);
        },
      );
    } catch (error) {
      setRun(null);
      if (error instanceof SubmitError && error.status === 401) return; // the token prompt says it
      if (error instanceof SubmitError) {
        for (const problem of error.problems) {
          const node = problem.node ? stack.editor.getNode(problem.node) : undefined;
          if (!node) continue;
          node.serverProblems.push(problem);
          stack.sa3.refresh(node.id);
        }
        toast('error', error.problems[0] ? `The server refused the workflow: ${error.problems[0].message}` : error.message);
      } else toast('error', `The server could not be reached: ${(error as Error).message}`);
    }
  }, [toast]);

  const cancelRun = useCallback(async () => {
    const current = runRef.current;
    if (!current?.id) return;
    setRun({ ...current, phase: 'cancelling' });
    await api.cancelRun(current.id).catch((e: Error) => toast('error', `Cancel failed: ${e.message}`));
  }, [toast]);

  const saveFile = useCallback(() => {
    const stack = stackRef.current;
    if (stack) downloadText(stack.sa3.serialize(), fileNameFor(stack.sa3.header.name));
  }, []);

  useEffect(() => {
    const stopListening = onUnauthorized(() => setTokenPrompt(accessToken.get() ? 'refused' : 'missing'));
    const stack = createEditorStack(canvas.current!, {
      fetch: authorizedFetch,
      models: () => modelIds.current,
      onRefused: (reason) => toast('error', `Wire refused: ${reason}`),
      onParamChange: () => save(),
      onGraphChange: () => save(),
    });
    stackRef.current = stack;
    Object.assign(window, { sa3App: { stack, openText } });
    const saved = autosave.load();
    void (async () => {
      if (saved) {
        try {
          await stack.openWorkflow(saved);
          setName(stack.sa3.header.name ?? '');
        } catch (error) {
          toast('error', `The autosaved graph could not be restored: ${(error as Error).message}`);
        }
      }
      stack.history.clear();
      setNodeCount(stack.editor.getNodes().length);
      setReady(true);
    })();
    loadCatalogue();
    const unbind = bindShortcuts({
      deleteSelection: () => void stack.deleteNodes(stack.selectedIds()),
      undo: () => void stack.history.undo(),
      redo: () => void stack.history.redo(),
      copy: () => {
        const n = copySelection(stack);
        if (n > 0) toast('info', `Copied ${n} node(s)`);
      },
      paste: () => void paste(stack),
      save: saveFile,
      run: () => void runWorkflow(),
      open: () => fileInput.current?.click(),
    });
    const flush = (): void => save.flush();
    window.addEventListener('beforeunload', flush);
    return () => {
      stopListening();
      unbind();
      window.removeEventListener('beforeunload', flush);
      stack.destroy();
    };
    // The stack lives as long as the page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onDrop = async (e: DragEvent<HTMLDivElement>): Promise<void> => {
    e.preventDefault();
    setDropping(false);
    const stack = stackRef.current;
    if (!stack) return;
    const type = e.dataTransfer.getData(PALETTE_MIME);
    if (type) {
      const rect = canvas.current!.getBoundingClientRect();
      const { x, y, k } = stack.area.area.transform;
      return addNode(type, { x: (e.clientX - rect.left - x) / k, y: (e.clientY - rect.top - y) / k });
    }
    const file = e.dataTransfer.files[0];
    if (file) await openFile(file);
  };

  const running = run !== null;
  return (
    <div className="app" data-ready={ready} data-connection={connection}>
      <header className="toolbar">
        <div className="brand">
          <span className="logo" />
          sa3 <span className="dim">workflows</span>
        </div>
        <input
          className="name"
          value={name}
          placeholder="untitled workflow"
          data-testid="workflow-name"
          onChange={(e) => {
            setName(e.target.value);
            const stack = stackRef.current;
            if (stack) {
              if (e.target.value === '') delete stack.sa3.header.name;
              else stack.sa3.header.name = e.target.value;
              save();
            }
          }}
        />
        <div className="group">
          <button onClick={() => fileInput.current?.click()} title="Open a workflow .json or audio saved by sa3 (Ctrl+O)" data-testid="open">
            Open
          </button>
          <button onClick={saveFile} title="Download the workflow as .json (Ctrl+S)" data-testid="save">
            Save
          </button>
          <button onClick={() => setPanel('gallery')} data-testid="open-gallery">
            Examples
          </button>
        </div>
        <div className="group">
          <button onClick={() => void stackRef.current?.history.undo()} title="Undo (Ctrl+Z)" data-testid="undo">
            ↶
          </button>
          <button onClick={() => void stackRef.current?.history.redo()} title="Redo (Ctrl+Y)" data-testid="redo">
            ↷
          </button>
          <button onClick={() => void stackRef.current?.arrange()} title="Arrange the graph left to right" data-testid="arrange">
            Arrange
          </button>
          <button onClick={() => void stackRef.current?.zoomToFit()} title="Zoom to fit" data-testid="fit">
            Fit
          </button>
        </div>
        <div className="spacer" />
        <div className="group">
          <button onClick={() => setPanel('models')} data-testid="open-models">
            Models
          </button>
          <button onClick={() => setPanel('report')} disabled={!report} data-testid="open-report" title="Seeds used, times, files of the last run">
            Report
          </button>
        </div>
        {running ? (
          <button className="primary cancel" onClick={() => void cancelRun()} data-testid="cancel" disabled={run.phase !== 'running'}>
            {run.phase === 'cancelling' ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button className="primary" onClick={() => void runWorkflow()} data-testid="run" title="Run the workflow (Ctrl+Enter)">
            ▶ Run
          </button>
        )}
      </header>
      <main className="workspace">
        <Palette onAdd={(type) => void addNode(type)} />
        <div
          className={`canvas${dropping ? ' dropping' : ''}`}
          ref={canvas}
          data-testid="canvas"
          onDragOver={(e) => {
            e.preventDefault();
            setDropping(true);
          }}
          onDragLeave={() => setDropping(false)}
          onDrop={(e) => void onDrop(e)}
        >
          {ready && nodeCount === 0 && (
            <div className="empty-hint">
              <p>Right-click the canvas or pick a node on the left to start.</p>
              <p className="dim">Drop a workflow .json, or an audio file saved by sa3, to open it.</p>
              <button onClick={() => setPanel('gallery')}>Browse examples</button>
            </div>
          )}
        </div>
      </main>
      <footer className="statusbar" data-testid="statusbar">
        <span>{nodeCount} nodes</span>
        <span data-testid="run-status">
          {run ? (run.phase === 'running' ? `running ${run.id}` : run.phase) : report ? `last run ${report.status}` : 'ready'}
        </span>
        <span className="dim">{savedAt ? `kept in this browser at ${savedAt}` : ''}</span>
        <span className="spacer" />
        <span className="dim">Del delete · Ctrl+Z/Y undo/redo · Ctrl+C/V copy/paste · Ctrl+S save · Ctrl+Enter run</span>
      </footer>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json,audio/*,.wav,.mp3,.flac,.ogg"
        hidden
        data-testid="open-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void openFile(file);
        }}
      />
      {panel === 'gallery' && (
        <Gallery
          key={tokenVersion}
          onClose={() => setPanel(null)}
          onOpen={(example: ExampleEntry) => {
            setPanel(null);
            void openText(example.text, example.file);
          }}
        />
      )}
      {panel === 'models' && <ModelsPanel models={models} error={modelsError} onClose={() => setPanel(null)} />}
      {panel === 'report' && <ReportPanel report={report} onClose={() => setPanel(null)} />}
      {tokenPrompt && <TokenPrompt refused={tokenPrompt === 'refused'} onSubmit={submitToken} onClose={() => setTokenPrompt(null)} />}
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((list) => list.filter((t) => t.id !== id))} />
    </div>
  );
}
