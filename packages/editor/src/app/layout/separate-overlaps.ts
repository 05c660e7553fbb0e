import { NODE_GAP, overlap, type NodeRect } from './rects.js';

/**
 * Where nodes go so that no two cards overlap: going down the graph, a card that overlaps one
 * above it moves down below that one (keeping its x), and the cards it then meets move in turn.
 * Cards that overlap nothing stay where they are. Returns only the new y of each moved node.
 */
export function separateOverlaps(rects: readonly NodeRect[], gap = NODE_GAP): Map<string, number> {
  const order = [...rects].sort((a, b) => a.y - b.y || a.x - b.x);
  const placed: NodeRect[] = [];
  const moved = new Map<string, number>();
  for (const rect of order) {
    let current = rect;
    for (let blocker = placed.find((p) => overlap(p, current)); blocker; blocker = placed.find((p) => overlap(p, current)))
      current = { ...current, y: blocker.y + blocker.height + gap };
    if (current.y !== rect.y) moved.set(rect.id, current.y);
    placed.push(current);
  }
  return moved;
}
