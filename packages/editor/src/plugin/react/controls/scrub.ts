import type { PointerEvent as ReactPointerEvent } from 'react';

/** How far one pixel of drag, or one arrow key, moves a value: the param's step, ten times that with Shift, a tenth with Alt. */
export function nudgeSize(step: number, modifiers: { shiftKey: boolean; altKey: boolean }): number {
  if (modifiers.shiftKey) return step * 10;
  if (modifiers.altKey) return step / 10;
  return step;
}

/** A value moved by `delta`, held in [min, max] and rounded to the decimals of `unit` (no 0.30000000000000004). */
export function nudged(value: number, delta: number, unit: number, min?: number, max?: number): number {
  const decimals = Math.max(0, Math.min(6, Math.ceil(-Math.log10(unit) + 1e-9)));
  let next = Number((value + delta).toFixed(decimals));
  if (min !== undefined) next = Math.max(min, next);
  if (max !== undefined) next = Math.min(max, next);
  return next;
}

export interface ScrubTarget {
  readonly value: () => number;
  readonly step: number;
  readonly min?: number;
  readonly max?: number;
  readonly set: (next: number) => void;
}

/**
 * Drag-to-scrub: pressing on the handle and moving sideways changes the value by one step per
 * pixel (Shift: ten steps, Alt: a tenth of one), measured from where the drag began, so the
 * value follows the pointer back and forth exactly.
 */
export function startScrub(event: ReactPointerEvent<HTMLElement>, target: ScrubTarget): void {
  if (event.button !== 0) return;
  event.preventDefault();
  event.stopPropagation();
  const handle = event.currentTarget;
  handle.setPointerCapture(event.pointerId);
  const startX = event.clientX;
  const startValue = target.value();
  const move = (e: PointerEvent): void => {
    const unit = nudgeSize(target.step, e);
    target.set(nudged(startValue, Math.round(e.clientX - startX) * unit, unit, target.min, target.max));
  };
  const end = (): void => {
    handle.removeEventListener('pointermove', move);
    handle.removeEventListener('pointerup', end);
    handle.removeEventListener('pointercancel', end);
  };
  handle.addEventListener('pointermove', move);
  handle.addEventListener('pointerup', end);
  handle.addEventListener('pointercancel', end);
}
