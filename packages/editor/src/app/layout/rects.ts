/** A node's rectangle in graph coordinates. */
export interface NodeRect {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Space kept between cards that layout separates. */
export const NODE_GAP = 24;

/** Whether two rectangles share any area (touching edges do not). */
export function overlap(a: Omit<NodeRect, 'id'>, b: Omit<NodeRect, 'id'>): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

export function boundsOf(rects: readonly Omit<NodeRect, 'id'>[]): { x: number; y: number; width: number; height: number } | null {
  if (rects.length === 0) return null;
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}
