/** The area's pan and zoom: a graph point p shows at p * k + (x, y) in the canvas. */
export interface ViewTransform {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Below this zoom the 12-13 px text of a card is too small to read: the view pans instead. */
export const MIN_FIT_ZOOM = 0.6;
/** Canvas pixels kept free around what the view is brought to show. */
const MARGIN = 24;

/**
 * The transform that shows a box (the graph's bounds): as large as fits up to 100 %, never
 * below MIN_FIT_ZOOM. Along an axis the box fits, it is centred; along one it does not, its
 * start (left or top) is shown and the rest is reached by panning.
 */
export function fitTransform(box: Box, canvas: { width: number; height: number }): ViewTransform {
  const room = { width: Math.max(1, canvas.width - 2 * MARGIN), height: Math.max(1, canvas.height - 2 * MARGIN) };
  const k = Math.max(MIN_FIT_ZOOM, Math.min(1, room.width / Math.max(1, box.width), room.height / Math.max(1, box.height)));
  const along = (start: number, size: number, space: number): number =>
    size * k <= space - 2 * MARGIN ? (space - size * k) / 2 - start * k : MARGIN - start * k;
  return { x: along(box.x, box.width, canvas.width), y: along(box.y, box.height, canvas.height), k };
}

/**
 * The smallest pan (same zoom) that brings a box wholly into the canvas, or null when it is in
 * view already. A box larger than the canvas shows its top-left corner.
 */
export function panToShow(box: Box, view: ViewTransform, canvas: { width: number; height: number }): ViewTransform | null {
  const shift = (start: number, size: number, offset: number, space: number): number => {
    const from = start * view.k + offset;
    const to = from + size * view.k;
    if (from >= MARGIN && to <= space - MARGIN) return offset;
    if (from < MARGIN || size * view.k > space - 2 * MARGIN) return offset + (MARGIN - from);
    return offset - (to - (space - MARGIN));
  };
  const x = shift(box.x, box.width, view.x, canvas.width);
  const y = shift(box.y, box.height, view.y, canvas.height);
  return x === view.x && y === view.y ? null : { x, y, k: view.k };
}
