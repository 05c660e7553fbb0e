export { boundsOf, NODE_GAP, overlap, type NodeRect } from './rects.js';
export { separateOverlaps } from './separate-overlaps.js';
export { fitTransform, MIN_FIT_ZOOM, panToShow, type Box, type ViewTransform } from './view-transform.js';
