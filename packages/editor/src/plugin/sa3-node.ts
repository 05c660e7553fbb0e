import { ClassicPreset } from 'rete';
import { paramApplies, paramDefault, type AnyNodeDefinition, type Problem } from '@sa3/nodes';
import { socketOf, type Sa3Socket, type SocketKind } from './sockets.js';
import { idleState, type NodeRunState } from './run-state.js';
import { controlFor } from './react/controls/index.js';
import { nextSeed, randomSeed, type SeedMode } from './seed-modes.js';

export const NODE_WIDTH = 280;

/**
 * A workflow node in the editor. `params` holds exactly the params the file sets (absent ones
 * show their default), so export writes back what was read.
 */
export class Sa3Node extends ClassicPreset.Node<Record<string, Sa3Socket>, Record<string, Sa3Socket>, Record<string, never>> {
  width = NODE_WIDTH;
  height = 120;
  /** Set once the view has measured the card: width and height are then its real size, not an estimate. */
  measured = false;
  params: Record<string, unknown>;
  runState: NodeRunState = idleState;
  /** Problems the server found on submit, shown until the node is edited. */
  serverProblems: Problem[] = [];
  /** Bumped on every change so views know to redraw. */
  revision = 0;
  /** What happens to each seed param after a finished run; absent means fixed. Kept in the workflow's meta. */
  seedModes: Record<string, SeedMode> = {};

  constructor(
    id: string,
    readonly type: string,
    public typeVersion: number,
    params: Record<string, unknown>,
    readonly definition: AnyNodeDefinition | undefined,
    public title?: string,
  ) {
    super(title ?? definition?.title ?? type);
    this.id = id;
    this.params = { ...params };
    if (definition) {
      for (const [key, spec] of Object.entries(definition.inputs))
        this.addInput(key, new ClassicPreset.Input(socketOf(spec.type), spec.label + (spec.optional ? ' (optional)' : '')));
      for (const [key, spec] of Object.entries(definition.outputs)) this.addOutput(key, new ClassicPreset.Output(socketOf(spec.type), spec.label));
    }
    this.height = this.estimateHeight();
  }

  get isPlaceholder(): boolean {
    return this.definition === undefined;
  }

  /** A port the file wires to but the catalogue does not declare: kept so the wire survives. */
  ensurePort(side: 'input' | 'output', key: string, kind: SocketKind = 'unknown'): void {
    if (side === 'input' && !this.inputs[key]) this.addInput(key, new ClassicPreset.Input(socketOf(kind), key));
    if (side === 'output' && !this.outputs[key]) this.addOutput(key, new ClassicPreset.Output(socketOf(kind), key));
    if (!this.measured) this.height = this.estimateHeight();
  }

  socketKind(side: 'input' | 'output', key: string): SocketKind | undefined {
    return (side === 'input' ? this.inputs[key] : this.outputs[key])?.socket?.kind;
  }

  setParam(key: string, value: unknown): void {
    if (value === undefined) delete this.params[key];
    else this.params[key] = value;
    this.serverProblems = this.serverProblems.filter((p) => p.param !== key);
    // A param can show or hide others (format shows the bitrate of mp3 only); the view measures it once drawn.
    if (!this.measured) this.height = this.estimateHeight();
    this.revision++;
  }

  seedMode(key: string): SeedMode {
    return this.seedModes[key] ?? 'fixed';
  }

  setSeedMode(key: string, mode: SeedMode): void {
    if (mode === 'fixed') delete this.seedModes[key];
    else this.seedModes[key] = mode;
    this.revision++;
  }

  /** After a finished run: each seed param moves on as its mode says; true when one changed. */
  applySeedModes(draw: () => number = randomSeed): boolean {
    let changed = false;
    for (const [key, spec] of Object.entries(this.definition?.params ?? {})) {
      if (spec.kind !== 'seed') continue;
      const value = this.params[key] ?? paramDefault(spec);
      if (typeof value !== 'number') continue;
      const next = nextSeed(value, this.seedMode(key), draw);
      if (next === value) continue;
      this.setParam(key, next);
      changed = true;
    }
    return changed;
  }

  setRunState(state: NodeRunState): void {
    this.runState = state;
    this.revision++;
  }

  /** Layout height for auto-arrange and the minimap, close to what the view renders. */
  private estimateHeight(): number {
    const ports = Object.keys(this.inputs).length + Object.keys(this.outputs).length;
    const definition = this.definition;
    if (!definition) return 56 + ports * 26 + 60;
    const shown = Object.entries(definition.params).filter(([name]) => paramApplies(definition, name, this.params));
    const fields = shown.reduce((sum, [, spec]) => sum + controlFor(spec).height(spec), 0);
    return 56 + ports * 26 + fields;
  }
}
