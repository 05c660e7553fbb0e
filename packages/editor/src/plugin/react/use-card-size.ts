import { useLayoutEffect, type RefObject } from 'react';

/**
 * Reports the card's layout size (unscaled by the area's zoom) whenever its content changes it:
 * players and reports arriving after a run, params shown or hidden, an error message.
 */
export function useCardSize(card: RefObject<HTMLElement | null>, report: (width: number, height: number) => void): void {
  useLayoutEffect(() => {
    const element = card.current;
    if (!element) return;
    report(element.offsetWidth, element.offsetHeight);
    const observer = new ResizeObserver(() => report(element.offsetWidth, element.offsetHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [card, report]);
}
