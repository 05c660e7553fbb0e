import type { GraphBuilder, Value } from './graph/index.js';

/** RMSNorm over the last axis in float32: x / sqrt(mean(x²) + eps) · gamma. */
export function rmsNorm(g: GraphBuilder, x: Value, gamma: Value, eps: number): Value {
  const meanSquare = g.reduceMean(g.mul(x, x), [-1]); // [..., 1]
  const inverse = g.reciprocal(g.sqrt(g.add(meanSquare, eps))); // [..., 1]
  return g.mul(g.mul(x, inverse), gamma); // [..., D]
}

/** DynamicTanh: gamma · tanh(alpha · x) + beta, alpha a scalar [1]. */
export function dynamicTanh(g: GraphBuilder, x: Value, alpha: Value, gamma: Value, beta: Value): Value {
  return g.add(g.mul(g.tanh(g.mul(x, alpha)), gamma), beta); // [..., D]
}
