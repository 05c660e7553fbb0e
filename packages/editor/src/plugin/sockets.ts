import { ClassicPreset } from 'rete';
import { socketTypes, type SocketType } from '@sa3/nodes';

/** A socket of a catalogue type, or of a port only known from a file (placeholder nodes). */
export type SocketKind = SocketType | 'unknown';

export class Sa3Socket extends ClassicPreset.Socket {
  constructor(readonly kind: SocketKind) {
    super(kind === 'unknown' ? 'Unknown' : socketTypes[kind].label);
  }
}

const UNKNOWN_COLOR = '#f87171';

export function socketColor(kind: SocketKind): string {
  return kind === 'unknown' ? UNKNOWN_COLOR : socketTypes[kind].color;
}

export function socketLabel(kind: SocketKind): string {
  return kind === 'unknown' ? 'unknown' : socketTypes[kind].label.toLowerCase();
}

function withArticle(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

const shared = new Map<SocketKind, Sa3Socket>();

/** One socket instance per kind, as Rete expects sockets to be shared. */
export function socketOf(kind: SocketKind): Sa3Socket {
  let socket = shared.get(kind);
  if (!socket) shared.set(kind, (socket = new Sa3Socket(kind)));
  return socket;
}

/**
 * Why an output of kind `from` may not feed an input of kind `to`, or null when it may. A port
 * only known from a file (kind "unknown") accepts anything, so such files keep their wires.
 */
export function socketMismatch(from: SocketKind, to: SocketKind): string | null {
  if (from === 'unknown' || to === 'unknown' || from === to) return null;
  return `${withArticle(socketLabel(from))} output cannot feed ${withArticle(socketLabel(to))} input`;
}
