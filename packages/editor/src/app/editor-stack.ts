import { createRoot } from 'react-dom/client';
import { NodeEditor } from 'rete';
import { AreaExtensions, AreaPlugin } from 'rete-area-plugin';
import { ConnectionPlugin } from 'rete-connection-plugin';
import { ReactPlugin, Presets } from 'rete-react-plugin';
import { ContextMenuPlugin, Presets as ContextMenuPresets } from 'rete-context-menu-plugin';
import { HistoryPlugin, Presets as HistoryPresets } from 'rete-history-plugin';
import { MinimapPlugin } from 'rete-minimap-plugin';
import { AutoArrangePlugin, Presets as ArrangePresets } from 'rete-auto-arrange-plugin';
import { nodeCatalogue } from '@sa3/nodes';
import { createSa3Plugin, type Sa3AreaExtra, type Sa3Plugin, type Sa3PluginOptions, type Sa3Schemes } from '../plugin/index.js';
import { asOneStep } from './history-groups.js';

export interface EditorStack {
  readonly editor: NodeEditor<Sa3Schemes>;
  readonly area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>;
  readonly sa3: Sa3Plugin;
  readonly history: HistoryPlugin<Sa3Schemes>;
  /**
   * Replaces the graph with a workflow as one change: the minimap and onGraphChange are held
   * back until it is all in, undo history starts afresh, and the view fits the new graph.
   */
  openWorkflow(source: string): ReturnType<Sa3Plugin['importWorkflow']>;
  selectedIds(): string[];
  select(ids: readonly string[]): Promise<void>;
  deleteNodes(ids: readonly string[]): Promise<void>;
  zoomToFit(): Promise<void>;
  arrange(): Promise<void>;
  /** Where a node added from the palette lands: beside the rightmost node, so a chain reads left to right, or in the middle of the view. */
  newNodePosition(): { x: number; y: number };
  /** A point on the page (a drop) in graph coordinates. */
  graphPoint(clientX: number, clientY: number): { x: number; y: number };
  /** Whether a box in graph coordinates is wholly on screen. */
  inView(box: { x: number; y: number; width: number; height: number }): boolean;
  destroy(): void;
}

/** The app's Rete editor: our plugin plus menu, history, minimap, auto-arrange and selection. */
export function createEditorStack(container: HTMLElement, options: Sa3PluginOptions & { onGraphChange: () => void }): EditorStack {
  const editor = new NodeEditor<Sa3Schemes>();
  const area = new AreaPlugin<Sa3Schemes, Sa3AreaExtra>(container);
  const connection = new ConnectionPlugin<Sa3Schemes, Sa3AreaExtra>();
  const render = new ReactPlugin<Sa3Schemes, Sa3AreaExtra>({ createRoot });
  const history = new HistoryPlugin<Sa3Schemes>();
  const minimap = new MinimapPlugin<Sa3Schemes>({ boundViewport: true });
  const arrangePlugin = new AutoArrangePlugin<Sa3Schemes>();
  const sa3 = createSa3Plugin(editor, area, options);
  let opening = false;

  const contextMenu = new ContextMenuPlugin<Sa3Schemes>({
    items: ContextMenuPresets.classic.setup(
      nodeCatalogue.map((definition) => [definition.title, () => sa3.createNode(definition.type)] as [string, () => ReturnType<Sa3Plugin['createNode']>]),
    ),
  });

  render.addPreset(sa3.renderPreset);
  render.addPreset(Presets.contextMenu.setup({ delay: 100 }));
  render.addPreset(Presets.minimap.setup({ size: 180 }));
  connection.addPreset(sa3.connectionPreset(connection));
  history.addPreset(HistoryPresets.classic.setup());
  arrangePlugin.addPreset(ArrangePresets.classic.setup());

  editor.use(area);
  area.use(connection);
  area.use(render);
  area.use(contextMenu);
  area.use(history);
  // area.use(minimap), except that the minimap hears nothing while a workflow is opened: it
  // redraws every node and reads layout on each change, which is quadratic over an import.
  minimap.setParent(area as never);
  area.addPipe((context) => (opening ? context : minimap.signal.emit(context)));
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
    return context;
  });

  const selectedIds = (): string[] =>
    editor
      .getNodes()
      .filter((n) => n.selected)
      .map((n) => n.id);

  return {
    editor,
    area,
    sa3,
    history,
    selectedIds,
    async openWorkflow(source) {
      opening = true;
      let nodes;
      try {
        nodes = await sa3.importWorkflow(source);
      } finally {
        opening = false;
      }
      history.clear();
      await minimap.signal.emit({ type: 'zoomed', data: { zoom: area.area.transform.k } }); // redraws it
      await this.zoomToFit();
      options.onGraphChange();
      return nodes;
    },
    async select(ids) {
      for (const node of editor.getNodes()) if (node.selected && !ids.includes(node.id)) await selectable.unselect(node.id);
      for (const [i, id] of ids.entries()) await selectable.select(id, i > 0);
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
      const nodes = editor.getNodes();
      if (nodes.length > 0) await AreaExtensions.zoomAt(area, nodes, { scale: 0.9 });
    },
    async arrange() {
      await asOneStep(history, async () => {
        await arrangePlugin.layout({ options: { 'elk.spacing.nodeNode': '60', 'elk.layered.spacing.nodeNodeBetweenLayers': '90' } });
      });
      await this.zoomToFit();
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
    destroy: () => area.destroy(),
  };
}
