import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import { getNodeDefinition, upgradeParams } from '@sa3/nodes';
import { WORKFLOW_FORMAT, WORKFLOW_VERSION, type Workflow, type WorkflowConnection, type WorkflowNode } from '../workflow-json/index.js';
import { Sa3Node } from './sa3-node.js';
import { seedModesFromMeta, seedModesToMeta, type SeedModesByNode } from './seed-modes.js';
import { Sa3Connection, type Sa3AreaExtra, type Sa3Schemes } from './schemes.js';

/** What a workflow file says beyond its graph; kept so export writes it back unchanged. */
export interface WorkflowHeader {
  name?: string;
  description?: string;
  models?: Workflow['models'];
  meta?: Workflow['meta'];
}

export function headerOf(workflow: Workflow): WorkflowHeader {
  const header: WorkflowHeader = {};
  if (workflow.name !== undefined) header.name = workflow.name;
  if (workflow.description !== undefined) header.description = workflow.description;
  if (workflow.models !== undefined) header.models = workflow.models;
  if (workflow.meta !== undefined) header.meta = workflow.meta;
  return header;
}

/** A file's node as the editor holds it; one written for an older typeVersion is upgraded as the runtime upgrades it. */
export function nodeFromWorkflow(node: WorkflowNode): Sa3Node {
  const definition = getNodeDefinition(node.type);
  const upgraded = definition && node.typeVersion < definition.typeVersion ? upgradeParams(definition, node.typeVersion, node.params) : null;
  return new Sa3Node(node.id, node.type, upgraded?.typeVersion ?? node.typeVersion, upgraded?.params ?? { ...node.params }, definition, node.title);
}

/** Gives wired ports the catalogue does not declare (placeholders, old files) a port to land on. */
export function ensureWiredPorts(nodes: Map<string, Sa3Node>, connections: readonly WorkflowConnection[]): void {
  for (const c of connections) {
    const from = nodes.get(c.from[0]);
    const to = nodes.get(c.to[0]);
    from?.ensurePort('output', c.from[1], to?.socketKind('input', c.to[1]) ?? 'unknown');
    to?.ensurePort('input', c.to[1], from?.socketKind('output', c.from[1]) ?? 'unknown');
  }
}

const GRID_X = 340;
const GRID_Y = 260;

/** Adds a workflow's nodes and wires; nodes without a position go on a grid. */
export async function addWorkflowToEditor(
  editor: NodeEditor<Sa3Schemes>,
  area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>,
  workflow: Pick<Workflow, 'nodes' | 'connections'>,
  offset: readonly [number, number] = [0, 0],
): Promise<Sa3Node[]> {
  const nodes = new Map(workflow.nodes.map((n) => [n.id, nodeFromWorkflow(n)]));
  ensureWiredPorts(nodes, workflow.connections);
  const added: Sa3Node[] = [];
  let index = 0;
  for (const source of workflow.nodes) {
    const node = nodes.get(source.id)!;
    await editor.addNode(node);
    const [x, y] = source.position ?? [(index % 6) * GRID_X, Math.floor(index / 6) * GRID_Y];
    await area.translate(node.id, { x: x + offset[0], y: y + offset[1] });
    added.push(node);
    index++;
  }
  for (const c of workflow.connections) {
    const from = nodes.get(c.from[0]);
    const to = nodes.get(c.to[0]);
    if (!from || !to) continue; // a wire to a node not in the file: the runtime reports it as missing_node
    await editor.addConnection(new Sa3Connection(from, c.from[1], to, c.to[1]));
  }
  return added;
}

function roundPosition(value: number): number {
  const rounded = Math.round(value);
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function nodeToWorkflow(node: Sa3Node, position: { x: number; y: number } | undefined): WorkflowNode {
  return {
    id: node.id,
    type: node.type,
    typeVersion: node.typeVersion,
    ...(node.title !== undefined ? { title: node.title } : {}),
    params: { ...node.params },
    ...(position ? { position: [roundPosition(position.x), roundPosition(position.y)] as const } : {}),
  };
}

export function connectionToWorkflow(c: Sa3Connection): WorkflowConnection {
  return { from: [c.source, c.sourceOutput], to: [c.target, c.targetInput] };
}

/** Gives the nodes the seed modes a workflow's meta holds for them. */
export function applySeedModesFromMeta(nodes: readonly Sa3Node[], meta: Workflow['meta']): void {
  const modes = seedModesFromMeta(meta);
  for (const node of nodes) node.seedModes = { ...modes[node.id] };
}

/** The editor's graph as a workflow v1 document, in the order nodes and wires were added. */
export function editorToWorkflow(editor: NodeEditor<Sa3Schemes>, area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>, header: WorkflowHeader): Workflow {
  const modes: SeedModesByNode = {};
  for (const node of editor.getNodes()) if (Object.keys(node.seedModes).length > 0) modes[node.id] = { ...node.seedModes };
  const { meta: headerMeta, ...rest } = header;
  const meta = seedModesToMeta(headerMeta, modes);
  return {
    format: WORKFLOW_FORMAT,
    version: WORKFLOW_VERSION,
    ...rest,
    ...(meta !== undefined ? { meta } : {}),
    nodes: editor.getNodes().map((node) => nodeToWorkflow(node, area.nodeViews.get(node.id)?.position)),
    connections: editor
      .getConnections()
      .filter((c) => !c.isPseudo)
      .map(connectionToWorkflow),
  };
}
