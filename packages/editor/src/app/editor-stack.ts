import { createRoot } from 'react-dom/client';
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ConnectionPlugin } from 'rete-connection-plugin';
import { ReactPlugin, Presets } from 'rete-react-plugin';
import { ContextMenuPlugin } from 'rete-context-menu-plugin';
import { HistoryPlugin, Presets as HistoryPresets } from 'rete-history-plugin';
import { MinimapPlugin } from 'rete-minimap-plugin';
import { ArrangeAppliers, AutoArrangePlugin, Presets as ArrangePresets } from 'rete-auto-arrange-plugin';
import { getNodeDefinition } from '@sa3/nodes';
import {
  createSa3Plugin,
  parseWorkflow,
  Sa3Connection,
  type Sa3AreaExtra,
  type Sa3Node,
  type Sa3Plugin,
  type Sa3PluginOptions,
  type Sa3Schemes,
} from '../plugin/index.js';
import { asOneStep, unrecorded } from './history-groups.js';
import { boundsOf, fitTransform, panToShow, separateOverlaps, type NodeRect, type ViewTransform } from './layout/index.js';
import { keepMenuInViewport, nodeMenuItems } from './node-menu.js';
import { portFor, type LooseWire } from './node-types.js';

export interface EditorStackOptions extends Sa3PluginOptions {
  onGraphChange(): void;
  /** Undo or redo put back a graph that an open, Examples or New had replaced (its name too). */
  onGraphReplaced(): void;
  /** A wire drawn from a port was let go on empty canvas, at this point of the page. */
  onLooseWire(wire: LooseWire, clientX: number, clientY: number): void;
}

export interface EditorStack {
  readonly editor: NodeEditor<Sa3Schemes>;
  readonly area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>;
  readonly sa3: Sa3Plugin;
  readonly history: HistoryPlugin<Sa3Schemes>;
  /**
   * Replaces the graph with a workflow as one change: the minimap and onGraphChange are held
   * back until it is all in, the nodes get their real sizes and no two overlap, undo history
   * starts afresh, and the view fits the new graph.
   */
  openWorkflow(source: string): ReturnType<Sa3Plugin['importWorkflow']>;
  /** As openWorkflow, but one undo brings back the graph it replaced (and redo the new one again). */
  replaceWorkflow(source: string): ReturnType<Sa3Plugin['importWorkflow']>;
  selectedIds(): string[];
  select(ids: readonly string[]): Promise<void>;
  selectAll(): Promise<void>;
  deleteNodes(ids: readonly string[]): Promise<void>;
  zoomToFit(): Promise<void>;
  arrange(): Promise<void>;
  /** Adds a node at a graph point (or beside the rightmost node) and pans until its card is wholly in view. */
  addNode(type: string, at?: { x: number; y: number }): Promise<Sa3Node>;
  /** Adds a node where a loose wire was let go and plugs the wire into it. */
  addNodeOnWire(type: string, wire: LooseWire, at: { x: number; y: number }): Promise<Sa3Node>;
  /** Where a node added from the palette lands: beside the rightmost node, so a chain reads left to right, or in the middle of the view. */
  newNodePosition(): { x: number; y: number };
  /** A point on the page (a drop) in graph coordinates. */
  graphPoint(clientX: number, clientY: number): { x: number; y: number };
  /** Whether a box in graph coordinates is wholly on screen. */
  inView(box: { x: number; y: number; width: number; height: number }): boolean;
  destroy(): void;
}

/** Lays nodes out by position only: the cards keep sizing themselves to their content. */
class PositionsOnly extends ArrangeAppliers.StandardApplier<Sa3Schemes, never> {
  protected override resizeNode(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** The User Timing measure of laying out an opened workflow: measuring its cards, placing, separating and fitting (the editor benchmark reads it). */
export const LAY_OUT_MEASURE = 'sa3: lay out workflow';

const ARRANGE_OPTIONS = { 'elk.spacing.nodeNode': '60', 'elk.layered.spacing.nodeNodeBetweenLayers': '90' };

/** The app's Rete editor: our plugin plus menu, history, minimap, auto-arrange and selection. */
export function createEditorStack(container: HTMLElement, options: EditorStackOptions): EditorStack {
  const editor = new NodeEditor<Sa3Schemes>();
  const area = new AreaPlugin<Sa3Schemes, Sa3AreaExtra>(container);
  const connection = new ConnectionPlugin<Sa3Schemes, Sa3AreaExtra>();
  const render = new ReactPlugin<Sa3Schemes, Sa3AreaExtra>({ createRoot });
  const history = new HistoryPlugin<Sa3Schemes>();
  const minimap = new MinimapPlugin<Sa3Schemes>({ boundViewport: true });
  const arrangePlugin = new AutoArrangePlugin<Sa3Schemes>();
  let opening = false;
  /** True while a graph is opened or arranged: layout happens at the end, not per card. */
  let layingOut = false;
  let roomScheduled = false;
  /** A refused wire is let go in code right after (a drop without a socket), which is no loose wire. */
  let refusing = false;
  const sa3 = createSa3Plugin(editor, area, {
    ...options,
    onRefused: (reason) => {
      refusing = true;
      setTimeout(() => (refusing = false), 0);
      options.onRefused?.(reason);
    },
    onNodeResized: () => {
      if (layingOut || roomScheduled) return;
      roomScheduled = true;
      setTimeout(() => {
        roomScheduled = false;
        if (!layingOut) void unrecorded(history, makeRoom);
      }, 0);
    },
  });

  const contextMenu = new ContextMenuPlugin<Sa3Schemes>({
    items: nodeMenuItems((type) => void stack.addNode(type, { ...area.area.pointer })),
  });

  render.addPreset(sa3.renderPreset);
  render.addPreset(Presets.contextMenu.setup({ delay: 100 }));
  render.addPreset(Presets.minimap.setup({ size: 180 }));
  connection.addPreset(sa3.connectionPreset(connection));
  history.addPreset(HistoryPresets.classic.setup());
  arrangePlugin.addPreset(ArrangePresets.classic.setup());

  // The history plugin forgets everything when the editor is cleared; this app clears it itself
  // when a workflow is opened, and undo of a replaced graph clears the editor to put it back.
  editor.addPipe((context) => (context.type === 'cleared' ? undefined : context));
  editor.use(area);
  area.use(connection);
  area.use(render);
  area.use(contextMenu);
  area.use(history);
  // area.use(minimap), except that the minimap hears nothing while a workflow is opened: it
  // redraws every node and reads layout on each change, which is quadratic over an import.
  minimap.setParent(area as never);
  // Cards resize in bursts (a run's players, a frame of ResizeObserver reports): one redraw per frame.
  let minimapRedraw: number | null = null;
  area.addPipe((context) => {
    if (opening) return context;
    if (context.type !== 'noderesized') return minimap.signal.emit(context);
    minimapRedraw ??= requestAnimationFrame(() => {
      minimapRedraw = null;
      void minimap.signal.emit({ type: 'zoomed', data: { zoom: area.area.transform.k } });
    });
    return context;
  });
  area.use(arrangePlugin);

  const selector = AreaExtensions.selector();
  const selectable = AreaExtensions.selectableNodes(area, selector, { accumulating: AreaExtensions.accumulateOnCtrl() });
  AreaExtensions.simpleNodesOrder(area);
  // No AreaExtensions.showInputControl: our inputs carry no controls, and it re-rendered the
  // target node of every new wire (each node of an opened workflow drew twice).

  const changeTypes = new Set(['nodecreated', 'noderemoved', 'connectioncreated', 'connectionremoved', 'nodetranslated']);
  editor.addPipe((context) => {
    if (changeTypes.has(context.type) && !opening) options.onGraphChange();
    return context;
  });
  area.addPipe((context) => {
    if (context.type === 'nodetranslated' && !opening) options.onGraphChange();
    // Double-click on the canvas opens the node search, not a zoom.
    if (context.type === 'zoom' && context.data.source === 'dblclick') return;
    if (context.type === 'render' && context.data.type === 'contextmenu') keepMenuInViewport(context.data.element);
    return context;
  });
  connection.addPipe((context) => {
    if (context.type === 'connectiondrop' && !context.data.created && !context.data.socket && !refusing) {
      const { nodeId, side, key } = context.data.initial;
      const kind = editor.getNode(nodeId)?.socketKind(side, key);
      if (kind && kind !== 'unknown') {
        const { x, y, k } = area.area.transform;
        const rect = container.getBoundingClientRect();
        const pointer = area.area.pointer;
        options.onLooseWire({ nodeId, side, key, kind }, rect.left + pointer.x * k + x, rect.top + pointer.y * k + y);
      }
    }
    return context;
  });

  // Focusing a field of a card out of view makes the browser scroll the canvas, which hides
  // its overflow: that scroll becomes a pan of the area, so the minimap and Fit stay right.
  const onScroll = (): void => {
    const dx = container.scrollLeft;
    const dy = container.scrollTop;
    if (dx === 0 && dy === 0) return;
    container.scrollLeft = 0;
    container.scrollTop = 0;
    const { x, y } = area.area.transform;
    void area.area.translate(x - dx, y - dy);
  };
  container.addEventListener('scroll', onScroll);

  const canvasSize = (): { width: number; height: number } => ({ width: container.clientWidth, height: container.clientHeight });

  const rectsOf = (nodes: readonly Sa3Node[]): NodeRect[] =>
    nodes.flatMap((node) => {
      const view = area.nodeViews.get(node.id);
      return view ? [{ id: node.id, x: view.position.x, y: view.position.y, width: node.width, height: node.height }] : [];
    });

  const setView = async (view: ViewTransform): Promise<void> => {
    area.area.transform.x = view.x;
    area.area.transform.y = view.y;
    await area.area.zoom(view.k, 0, 0);
  };

  /** Moves cards down until none overlaps another (after a card grew, or a file placed them so). */
  const makeRoom = async (): Promise<void> => {
    const moves = separateOverlaps(rectsOf(editor.getNodes()));
    for (const [id, y] of moves) await area.translate(id, { x: area.nodeViews.get(id)!.position.x, y });
  };

  const bringIntoView = async (nodes: readonly Sa3Node[]): Promise<void> => {
    await sa3.measureNodes();
    const box = boundsOf(rectsOf(nodes));
    const view = box && panToShow(box, area.area.transform, canvasSize());
    if (view) await setView(view);
  };

  /**
   * Opens a workflow and lays it out with the cards' real sizes. The minimap and onGraphChange
   * hear nothing until the end: they would redraw, or read layout, on every node added or moved.
   */
  const load = async (source: string): Promise<Sa3Node[]> => {
    const workflow = parseWorkflow(source);
    const unplaced = workflow.nodes.some((n) => n.position === undefined);
    opening = true;
    layingOut = true;
    let nodes;
    try {
      nodes = await sa3.importWorkflow(workflow);
      const started = performance.now();
      await sa3.measureNodes();
      if (unplaced && nodes.length > 1) await arrangePlugin.layout({ options: ARRANGE_OPTIONS, applier: new PositionsOnly() });
      await makeRoom();
      await stack.zoomToFit();
      performance.measure(LAY_OUT_MEASURE, { start: started, detail: { nodes: nodes.length } });
    } finally {
      opening = false;
      layingOut = false;
    }
    await minimap.signal.emit({ type: 'zoomed', data: { zoom: area.area.transform.k } }); // redraws it
    return nodes;
  };

  const selectedIds = (): string[] =>
    editor
      .getNodes()
      .filter((n) => n.selected)
      .map((n) => n.id);

  const stack: EditorStack = {
    editor,
    area,
    sa3,
    history,
    selectedIds,
    async openWorkflow(source) {
      const nodes = await load(source);
      history.clear();
      options.onGraphChange();
      return nodes;
    },
    async replaceWorkflow(source) {
      const previous = sa3.serialize();
      const nodes = await stack.openWorkflow(source);
      const next = sa3.serialize();
      const putBack = async (text: string): Promise<void> => {
        await load(text);
        options.onGraphChange();
        options.onGraphReplaced();
      };
      history.add({ undo: () => putBack(previous), redo: () => putBack(next) });
      history.separate();
      return nodes;
    },
    async select(ids) {
      for (const node of editor.getNodes()) if (node.selected && !ids.includes(node.id)) await selectable.unselect(node.id);
      for (const [i, id] of ids.entries()) await selectable.select(id, i > 0);
    },
    async selectAll() {
      await stack.select(editor.getNodes().map((n) => n.id));
    },
    async deleteNodes(ids) {
      await asOneStep(history, async () => {
        for (const id of ids) {
          for (const c of editor.getConnections()) if (c.source === id || c.target === id) await editor.removeConnection(c.id);
          if (editor.getNode(id)) await editor.removeNode(id);
        }
      });
    },
    async zoomToFit() {
      const box = boundsOf(rectsOf(editor.getNodes()));
      if (box) await setView(fitTransform(box, canvasSize()));
    },
    async arrange() {
      layingOut = true;
      try {
        await sa3.measureNodes();
        await asOneStep(history, async () => {
          await arrangePlugin.layout({ options: ARRANGE_OPTIONS, applier: new PositionsOnly() });
          await makeRoom();
        });
      } finally {
        layingOut = false;
      }
      await stack.zoomToFit();
    },
    async addNode(type, at) {
      const node = await sa3.addNode(type, at ?? stack.newNodePosition());
      await bringIntoView([node]);
      return node;
    },
    async addNodeOnWire(type, wire, at) {
      const definition = getNodeDefinition(type);
      const port = definition && portFor(definition, wire);
      const from = editor.getNode(wire.nodeId);
      if (!port || !from) throw new Error(`${type} has no port for a ${wire.kind} wire`);
      let node!: Sa3Node;
      await asOneStep(history, async () => {
        node = await sa3.addNode(type, at);
        if (wire.side === 'output') await editor.addConnection(new Sa3Connection(from, wire.key, node, port));
        else {
          // Drawn back from an input: the new node feeds it, so it sits to the left of the point.
          await sa3.measureNodes();
          await area.translate(node.id, { x: at.x - node.width, y: at.y });
          await editor.addConnection(new Sa3Connection(node, port, from, wire.key));
        }
      });
      await bringIntoView([node]);
      return node;
    },
    newNodePosition() {
      let rightmost: { x: number; y: number } | null = null;
      for (const view of area.nodeViews.values()) if (!rightmost || view.position.x > rightmost.x) rightmost = view.position;
      if (rightmost) return { x: rightmost.x + 340, y: rightmost.y };
      const { x, y, k } = area.area.transform;
      const rect = container.getBoundingClientRect();
      return { x: (rect.width / 2 - x) / k, y: (rect.height / 2 - y) / k };
    },
    graphPoint(clientX, clientY) {
      const { x, y, k } = area.area.transform;
      const rect = container.getBoundingClientRect();
      return { x: (clientX - rect.left - x) / k, y: (clientY - rect.top - y) / k };
    },
    inView(box) {
      const { x, y, k } = area.area.transform;
      const rect = container.getBoundingClientRect();
      return box.x * k + x >= 0 && (box.x + box.width) * k + x <= rect.width && box.y * k + y >= 0 && (box.y + box.height) * k + y <= rect.height;
    },
    destroy: () => {
      container.removeEventListener('scroll', onScroll);
      area.destroy();
    },
  };
  return stack;
}
