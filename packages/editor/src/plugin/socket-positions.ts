import type { BaseSchemes } from 'rete';
import { DOMSocketPosition } from 'rete-render-utils';

/**
 * Rete's DOM socket positions, measured in batches. Measuring a socket reads layout; measuring
 * each socket as soon as its node mounts forces a fresh layout of the whole canvas per socket,
 * which makes opening a large workflow quadratic. Waiting one task lets every socket mounted in
 * the meantime be measured against a single layout.
 */
export class BatchedSocketPosition<S extends BaseSchemes, K> extends DOMSocketPosition<S, K> {
  private batch: Promise<void> | null = null;

  override async calculatePosition(nodeId: string, side: 'input' | 'output', key: string, element: HTMLElement): Promise<{ x: number; y: number } | null> {
    this.batch ??= new Promise((resolve) =>
      setTimeout(() => {
        this.batch = null;
        resolve();
      }, 0),
    );
    await this.batch;
    if (!element.isConnected) return null; // unmounted meanwhile (measuring it would wait forever)
    return super.calculatePosition(nodeId, side, key, element);
  }
}
