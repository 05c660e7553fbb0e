import type { NodeEditor } from 'rete';
import type { AreaPlugin } from 'rete-area-plugin';
import type { Sa3Node } from './sa3-node.js';
import type { Sa3AreaExtra, Sa3Schemes } from './schemes.js';

/** How long to wait at most for React to draw the cards of nodes just added. */
const DRAW_WAIT_MS = 2_000;

export function cardOf(area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>, nodeId: string): HTMLElement | null {
  return area.nodeViews.get(nodeId)?.element.querySelector<HTMLElement>('[data-testid="sa3-node"]') ?? null;
}

/**
 * Waits until every node's card is in the page (React draws after the node is added), then reads
 * each card's size in one layout and hands it to `apply`.
 */
export async function measureNodeCards(
  editor: NodeEditor<Sa3Schemes>,
  area: AreaPlugin<Sa3Schemes, Sa3AreaExtra>,
  apply: (node: Sa3Node, width: number, height: number) => void,
): Promise<void> {
  const deadline = performance.now() + DRAW_WAIT_MS;
  while (editor.getNodes().some((node) => !cardOf(area, node.id)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  const sizes = editor.getNodes().flatMap((node) => {
    const card = cardOf(area, node.id);
    return card ? [[node, card.offsetWidth, card.offsetHeight] as const] : [];
  });
  for (const [node, width, height] of sizes) apply(node, width, height);
}
