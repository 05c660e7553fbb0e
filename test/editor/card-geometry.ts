import type { Page } from 'playwright-core';

/** What the canvas shows, read from the cards' boxes in the page. */
export interface CardGeometry {
  /** The area's zoom: a card's drawn width over its layout width. */
  readonly zoom: number;
  readonly cards: number;
  /** "a / b" for each pair of cards whose rectangles overlap. */
  readonly overlaps: string[];
  /** "node: element" for each control, port or player drawn (partly) outside its card. */
  readonly outside: string[];
}

/** Reads every card's rectangle and every control's in the page (client pixels, as drawn). */
export function cardGeometry(page: Page): Promise<CardGeometry> {
  return page.evaluate(() => {
    const cards = [...document.querySelectorAll<HTMLElement>('[data-testid="sa3-node"]')];
    const rects = cards.map((card) => ({ id: card.dataset.nodeId ?? '?', rect: card.getBoundingClientRect(), card }));
    const overlaps: string[] = [];
    for (let i = 0; i < rects.length; i++)
      for (let j = i + 1; j < rects.length; j++) {
        const a = rects[i]!.rect;
        const b = rects[j]!.rect;
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`${rects[i]!.id} / ${rects[j]!.id}`);
      }
    const outside: string[] = [];
    const slack = 1; // sub-pixel rounding of scaled borders
    for (const { id, rect, card } of rects) {
      const controls = card.querySelectorAll<HTMLElement>(
        'input, select, textarea, button, audio, canvas, [data-testid="node-audio"], [data-testid="port"] > span:not([data-testid="socket"])',
      );
      for (const control of controls) {
        const r = control.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue; // not drawn (hidden file input)
        if (r.left < rect.left - slack || r.right > rect.right + slack || r.top < rect.top - slack || r.bottom > rect.bottom + slack) {
          const name = control.closest<HTMLElement>('[data-param]')?.dataset.param ?? control.dataset.testid ?? control.tagName.toLowerCase();
          outside.push(`${id}: ${name}`);
        }
      }
    }
    const first = cards[0];
    const zoom = first ? first.getBoundingClientRect().width / first.offsetWidth : 1;
    return { zoom, cards: cards.length, overlaps, outside };
  });
}

/** Waits until the cards are where they were two frames before (layout, a fit, a pan settled). */
export async function settled(page: Page): Promise<void> {
  let previous = '';
  for (let i = 0; i < 50; i++) {
    const now = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="sa3-node"]')]
        .map((c) => {
          const r = c.getBoundingClientRect();
          return `${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.width)},${Math.round(r.height)}`;
        })
        .join(';'),
    );
    if (now === previous) return;
    previous = now;
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
}
