import { useLayoutEffect, type RefObject } from 'react';

/**
 * Reports the card's layout size (its border box, unscaled by the area's zoom) whenever its
 * content changes it: players and reports arriving after a run, params shown or hidden, an error.
 * The sizes come from the ResizeObserver, which measures every card of a frame in one layout;
 * reading offsetHeight as each card mounts would lay the whole canvas out once per card.
 */
export function useCardSize(card: RefObject<HTMLElement | null>, report: (width: number, height: number) => void): void {
  useLayoutEffect(() => {
    const element = card.current;
    if (!element) return;
    const observer = new ResizeObserver((entries) => {
      const box = entries.at(-1)?.borderBoxSize[0];
      if (box) report(Math.round(box.inlineSize), Math.round(box.blockSize));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [card, report]);
}
