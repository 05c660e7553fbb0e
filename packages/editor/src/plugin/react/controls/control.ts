import type { ReactNode } from 'react';
import type { LoraEntry, ParamSpec } from '@sa3/nodes';
import type { SeedMode } from '../../seed-modes.js';
import type { PackLimit } from '../../pack-limit.js';

/** What a control needs from the node view beyond its value. */
export interface ControlHost {
  /** Unique in the page: node id and param name. */
  readonly fieldId: string;
  /** Model pack ids to offer besides "auto". */
  models(): readonly string[];
  /** Installed packs with their limits, to show beside the ids. */
  packs(): readonly PackLimit[];
  /** The LoRA files installed on the server, to offer by name. */
  loras(): readonly LoraEntry[];
  /** Sets another param of the same node (one undo step of its own), e.g. the sha256 that goes with a chosen file. */
  setSibling(param: string, value: unknown): void;
  /** The latest second this param may reach with the node's selected pack; undefined when no installed pack bounds it. */
  secondsLimit(): number | undefined;
  /** Uploads an audio file to the server; resolves to its upload id. */
  upload(file: File): Promise<string>;
  /** Shows a problem under the field until the param is edited. */
  reportProblem(code: string, message: string): void;
  /** What happens to this (seed) param after each finished run. */
  seedMode(): SeedMode;
  setSeedMode(mode: SeedMode): void;
  /** The seed the last run used for this param, when it said. */
  usedSeed(): number | undefined;
}

export interface ControlProps<S extends ParamSpec> {
  readonly spec: S;
  /** The value as the node has it: as set, or else the default. */
  readonly value: unknown;
  /** Sets the param; undefined removes it, so the default applies. */
  readonly set: (next: unknown) => void;
  readonly host: ControlHost;
}

/** How the editor shows one param kind: the control, and the height its field takes on a node. */
export interface ParamControl<S extends ParamSpec> {
  readonly Control: (props: ControlProps<S>) => ReactNode;
  readonly height: (spec: S) => number;
}

/** Label, one row of control, room for a short error. */
export const FIELD_HEIGHT = 50;

export function shown(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? '' : (JSON.stringify(value) ?? '');
}
