import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import { ClassicFlow, type ConnectionPlugin, type SocketData } from 'rete-connection-plugin';
import { Presets, type ReactArea2D } from 'rete-react-plugin';
import { getNodeDefinition, nodeCatalogue, type LoraEntry } from '@sa3/nodes';
import { parseWorkflow, serializeWorkflow, type Workflow } from '../workflow-json/index.js';
import { wireBetween, wireRefusal } from './connection-rules.js';
import { addWorkflowToEditor, applySeedModesFromMeta, editorToWorkflow, headerOf, type WorkflowHeader } from './graph-io.js';
import { inputProblems, paramProblems, type NodeProblem } from './param-problems.js';
import type { PackLimit } from './pack-limits.js';
import { idleState, type NodeRunState } from './run-state.js';
import { Sa3Node } from './sa3-node.js';
import type { Sa3AreaExtra, Sa3Connection, Sa3Schemes } from './schemes.js';
import { ConnectionView } from './react/connection-view.js';
import { NodeViewEnvContext, type NodeViewEnv } from './react/env.js';
import { NodeView } from './react/node-view.js';
import { SocketView } from './react/socket-view.js';
import { BatchedSocketPosition } from './socket-positions.js';
import { measureNodeCards } from './node-sizes.js';

export interface Sa3PluginOptions {
  /** Where the audio-source control uploads files (the sa3 server's POST /api/uploads). */
  readonly uploadUrl?: string;
  /** Where Load audio nodes preview their source before a run (the sa3 server's GET /api/audio-preview). */
  readonly audioPreviewUrl?: string;
  /** Used for uploads and for the audio players' files: add the server's credentials here. */
  readonly fetch?: typeof fetch;
  /** Model pack ids the model selects offer besides "auto". */
  readonly models?: () => readonly string[];
  /** Installed packs with their longest audio: lengths beyond a node's selected pack are marked before Run. */
  readonly packs?: () => readonly PackLimit[];
  /** The LoRA files installed on the server, offered by LoRA nodes' file field (the sa3 server's GET /api/loras). */
  readonly loras?: () => readonly LoraEntry[];
  /** Called with one sentence when a wire is refused (wrong socket type, loop). */
  readonly onRefused?: (reason: string) => void;
  /** Called after a param of a node changes; `edit` when the user changed it, with the value before (for undo). */
  readonly onParamChange?: (node: Sa3Node, key: string, edit?: { readonly previous: unknown }) => void;
  /** Called when a node's card changed size (content arrived, params shown or hidden), with its size before. */
  readonly onNodeResized?: (node: Sa3Node, previous: { width: number; height: number }) => void;
}

export interface Sa3Plugin {
  /** For `render.addPreset(...)` on a rete-react-plugin ReactPlugin. */
  readonly renderPreset: ReturnType<typeof Presets.classic.setup<Sa3Schemes, ReactArea2D<Sa3Schemes>>>;
  /**
   * For `connection.addPreset(sa3.connectionPreset(connection))`: the classic drag-a-wire flow,
   * refusing wrong wires (and letting go of the refused one).
   */
  connectionPreset<K>(connection: ConnectionPlugin<Sa3Schemes, K>): () => ClassicFlow<Sa3Schemes, unknown[]>;
  /** Name, description, models and meta of the open workflow, written back on export. */
  header: WorkflowHeader;
  /** A new catalogue node (not yet added); ids are readable and unique in the editor. */
  createNode(type: string, id?: string): Sa3Node;
  addNode(type: string, position?: { x: number; y: number }): Promise<Sa3Node>;
  /** Replaces the graph with a workflow (text or object). Unknown node types become placeholders. */
  importWorkflow(source: string | Workflow): Promise<Sa3Node[]>;
  /** Adds nodes and wires beside the existing graph (paste); ids are renamed where taken. */
  addFragment(fragment: Pick<Workflow, 'nodes' | 'connections'>, offset: readonly [number, number]): Promise<Sa3Node[]>;
  exportWorkflow(): Workflow;
  /** The workflow file text, byte-identical to what the sa3 runtime writes. */
  serialize(): string;
  setRunState(nodeId: string, state: NodeRunState): void;
  resetRunStates(): void;
  /** Problems visible before running: params out of range, required inputs not wired, unknown types. */
  problems(): Map<string, NodeProblem[]>;
  /** Redraws a node after its data changed outside its view. */
  refresh(nodeId: string): void;
  /** Waits for every node's card to be drawn and gives each node its real size (for layout, fit and the minimap). */
  measureNodes(): Promise<void>;
  /** After a finished run: every seed moves on as its mode (fixed, increment, randomize) says. */
  applySeedModes(draw?: () => number): void;
}

function baseIdFor(type: string): string {
  return (type.split('.').pop() ?? type).replace(/[^A-Za-z0-9_-]/g, '-').toLowerCase() || 'node';
}

export function createSa3Plugin(editor: NodeEditor<Sa3Schemes>, area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>, options: Sa3PluginOptions = {}): Sa3Plugin {
  const refuse = options.onRefused ?? (() => undefined);
  const sized = (node: Sa3Node, width: number, height: number): void => {
    const wasMeasured = node.measured;
    node.measured = true;
    if (wasMeasured && node.width === width && node.height === height) return;
    const previous = { width: node.width, height: node.height };
    node.width = width;
    node.height = height;
    void area.emit({ type: 'noderesized', data: { id: node.id, size: { width, height } } });
    options.onNodeResized?.(node, previous);
  };
  const env: NodeViewEnv = {
    editor,
    uploadUrl: options.uploadUrl ?? '/api/uploads',
    audioPreviewUrl: options.audioPreviewUrl ?? '/api/audio-preview',
    fetch: options.fetch ?? ((...args) => fetch(...args)),
    models: options.models ?? (() => []),
    packs: options.packs ?? (() => []),
    loras: options.loras ?? (() => []),
    paramChanged: (node, key, edit) => {
      options.onParamChange?.(node, key, edit);
      redrawDownstream(node.id);
    },
    nodeSized: sized,
  };

  const Node = (props: Parameters<typeof NodeView>[0]) => (
    <NodeViewEnvContext.Provider value={env}>
      <NodeView {...props} />
    </NodeViewEnvContext.Provider>
  );
  const Connection = (props: { data: Sa3Connection }) => (
    <NodeViewEnvContext.Provider value={env}>
      <ConnectionView {...props} />
    </NodeViewEnvContext.Provider>
  );
  const renderPreset = Presets.classic.setup<Sa3Schemes, ReactArea2D<Sa3Schemes>>({
    socketPositionWatcher: new BatchedSocketPosition<Sa3Schemes, ReactArea2D<Sa3Schemes>>(),
    customize: {
      node: () => Node as never,
      socket: () => SocketView as never,
      connection: () => Connection as never,
    },
  });

  // A node that draws the audio feeding it (regions picked on its source's waveform) follows its wires and what is upstream.
  const redrawDownstream = (nodeId: string): void => {
    for (const c of editor.getConnections()) if (c.source === nodeId) void area.update('node', c.target);
  };
  editor.addPipe((context) => {
    if (context.type === 'connectioncreated' || context.type === 'connectionremoved') {
      // A run error about a missing wire goes as soon as the wire is there.
      const target = editor.getNode(context.data.target);
      if (context.type === 'connectioncreated' && target?.runState.error?.input === context.data.targetInput) target.setRunState(idleState);
      void area.update('node', context.data.target);
    }
    return context;
  });

  // Wires made in code (paste, undo) pass the same rules as wires drawn by hand.
  editor.addPipe((context) => {
    if (context.type === 'connectioncreate') {
      const reason = wireRefusal(editor, context.data);
      if (reason) {
        refuse(reason);
        return;
      }
    }
    return context;
  });

  const connectionPreset: Sa3Plugin['connectionPreset'] = (connection) => () =>
    new ClassicFlow({
      canMakeConnection(from: SocketData, to: SocketData) {
        const wire = wireBetween(from, to);
        if (!wire) return false;
        const reason = wireRefusal(editor, wire);
        if (reason) {
          refuse(reason);
          queueMicrotask(() => connection.drop());
        }
        return reason === null;
      },
    });

  const uniqueId = (base: string, taken: (id: string) => boolean): string => {
    if (!taken(base)) return base;
    for (let i = 2; ; i++) if (!taken(`${base}-${i}`)) return `${base}-${i}`;
  };

  const plugin: Sa3Plugin = {
    renderPreset,
    connectionPreset,
    header: {},
    createNode(type, id) {
      const definition = getNodeDefinition(type);
      if (!definition) throw new Error(`"${type}" is not a node type; known types: ${nodeCatalogue.map((d) => d.type).join(', ')}`);
      return new Sa3Node(id ?? uniqueId(baseIdFor(type), (x) => editor.getNode(x) !== undefined), type, definition.typeVersion, {}, definition);
    },
    async addNode(type, position) {
      const node = plugin.createNode(type);
      await editor.addNode(node);
      if (position) await area.translate(node.id, position);
      return node;
    },
    async importWorkflow(source) {
      const workflow = typeof source === 'string' ? parseWorkflow(source) : source;
      await editor.clear();
      plugin.header = headerOf(workflow);
      const added = await addWorkflowToEditor(editor, area, workflow);
      applySeedModesFromMeta(added, workflow.meta);
      return added;
    },
    async addFragment(fragment, offset) {
      const renamed = new Map<string, string>();
      const reserved = new Set<string>();
      for (const node of fragment.nodes) {
        const id = uniqueId(node.id, (x) => editor.getNode(x) !== undefined || reserved.has(x));
        reserved.add(id);
        renamed.set(node.id, id);
      }
      const nodes = fragment.nodes.map((n) => ({ ...n, id: renamed.get(n.id)! }));
      const connections = fragment.connections
        .filter((c) => renamed.has(c.from[0]) && renamed.has(c.to[0]))
        .map((c) => ({ from: [renamed.get(c.from[0])!, c.from[1]] as const, to: [renamed.get(c.to[0])!, c.to[1]] as const }));
      return addWorkflowToEditor(editor, area, { nodes, connections }, offset);
    },
    exportWorkflow: () => editorToWorkflow(editor, area, plugin.header),
    serialize: () => serializeWorkflow(plugin.exportWorkflow()),
    setRunState(nodeId, state) {
      const node = editor.getNode(nodeId);
      if (!node) return;
      node.setRunState(state);
      void area.update('node', nodeId);
    },
    resetRunStates() {
      for (const node of editor.getNodes()) {
        if (node.runState === idleState && node.serverProblems.length === 0) continue;
        node.serverProblems = [];
        plugin.setRunState(node.id, idleState);
      }
    },
    problems() {
      const wired = new Map<string, Set<string>>();
      for (const c of editor.getConnections()) {
        const set = wired.get(c.target) ?? new Set<string>();
        set.add(c.targetInput);
        wired.set(c.target, set);
      }
      const out = new Map<string, NodeProblem[]>();
      for (const node of editor.getNodes()) {
        const found = [...paramProblems(node, env.packs()), ...inputProblems(node, wired.get(node.id) ?? new Set())];
        if (found.length > 0) out.set(node.id, found);
      }
      return out;
    },
    refresh(nodeId) {
      void area.update('node', nodeId);
    },
    measureNodes: () => measureNodeCards(editor, area, sized),
    applySeedModes(draw) {
      for (const node of editor.getNodes()) {
        const changed = draw ? node.applySeedModes(draw) : node.applySeedModes();
        if (!changed) continue;
        for (const [key, spec] of Object.entries(node.definition?.params ?? {})) if (spec.kind === 'seed') options.onParamChange?.(node, key);
        void area.update('node', node.id);
      }
    },
  };
  return plugin;
}
