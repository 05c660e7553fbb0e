import type { NodeEditor } from 'rete';
import type { SocketData } from 'rete-connection-plugin';
import { socketMismatch } from './sockets.js';
import type { Sa3Schemes } from './schemes.js';

export interface WireEnds {
  readonly source: string;
  readonly sourceOutput: string;
  readonly target: string;
  readonly targetInput: string;
}

function reaches(editor: NodeEditor<Sa3Schemes>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const c of editor.getConnections()) if (c.source === id) stack.push(c.target);
  }
  return false;
}

/** Why this wire may not be made, in words for the user, or null when it may. */
export function wireRefusal(editor: NodeEditor<Sa3Schemes>, wire: WireEnds): string | null {
  const source = editor.getNode(wire.source);
  const target = editor.getNode(wire.target);
  if (!source || !target) return 'one end of the wire is not in the graph';
  const from = source.socketKind('output', wire.sourceOutput);
  const to = target.socketKind('input', wire.targetInput);
  if (!from || !to) return 'one end of the wire is not a port of its node';
  const mismatch = socketMismatch(from, to);
  if (mismatch) {
    const inputLabel = target.inputs[wire.targetInput]?.label ?? wire.targetInput;
    return `${source.label} → ${target.label}: ${mismatch} (${inputLabel.replace(' (optional)', '')})`;
  }
  if (wire.source === wire.target || reaches(editor, wire.target, wire.source))
    return `${source.label} → ${target.label}: the wire would make a loop; a workflow flows one way`;
  return null;
}

/** Turns the two sockets of a drag (either way round) into output → input, or null. */
export function wireBetween(a: SocketData, b: SocketData): WireEnds | null {
  if (a.side === b.side) return null;
  const [out, inp] = a.side === 'output' ? [a, b] : [b, a];
  return { source: out.nodeId, sourceOutput: out.key, target: inp.nodeId, targetInput: inp.key };
}
