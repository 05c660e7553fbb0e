/**
 * The leading r singular vectors of a [rows, cols] matrix, in float64: eigenvectors of the Gram
 * matrix of the shorter side, then the other side as W·v/σ. Only r vectors are wanted, so this
 * costs far less than a full SVD of a large weight.
 */
import { symmetricEigen } from './symmetric-eigen.js';

const TOLERANCE = 1e-13;

export interface SingularVectors {
  /** [rows, r] row-major. */
  readonly u: Float64Array;
  /** [cols, r] row-major. */
  readonly v: Float64Array;
}

export function topSingularVectors(w: Float32Array, rows: number, cols: number, r: number): SingularVectors {
  const wide = cols > rows;
  const n = wide ? rows : cols;
  const other = wide ? cols : rows;
  const gram = wide ? rowGram(w, rows, cols) : columnGram(w, rows, cols);
  const k = Math.min(r, n);
  const eigen = topEigenvectors(gram, n, k);
  // Short side s_i (eigenvector of the Gram), long side l_i = A s_i / σ_i.
  const short = eigen.vectors;
  const long = new Float64Array(other * r);
  for (let i = 0; i < k; i++) {
    const sigma = Math.sqrt(Math.max(eigen.values[i]!, 0));
    if (sigma === 0) continue;
    for (let o = 0; o < other; o++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += (wide ? w[j * cols + o]! : w[o * cols + j]!) * short[j * k + i]!;
      long[o * r + i] = sum / sigma;
    }
  }
  const shortPadded = new Float64Array(n * r);
  for (let j = 0; j < n; j++) for (let i = 0; i < k; i++) shortPadded[j * r + i] = short[j * k + i]!;
  return wide ? { u: shortPadded, v: long } : { u: long, v: shortPadded };
}

/** WᵀW [cols, cols]. */
function columnGram(w: Float32Array, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let row = 0; row < rows; row++) {
    const at = row * cols;
    for (let i = 0; i < cols; i++) {
      const x = w[at + i]!;
      if (x === 0) continue;
      for (let j = i; j < cols; j++) g[i * cols + j] = g[i * cols + j]! + x * w[at + j]!;
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[i * cols + j] = g[j * cols + i]!;
  return g;
}

/** W Wᵀ [rows, rows]. */
function rowGram(w: Float32Array, rows: number, cols: number): Float64Array {
  const g = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = i; j < rows; j++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += w[i * cols + c]! * w[j * cols + c]!;
      g[i * rows + j] = sum;
      g[j * rows + i] = sum;
    }
  }
  return g;
}

/**
 * The k largest eigenpairs of a symmetric positive semi-definite [n, n] matrix, vectors [n, k]:
 * Lanczos with full reorthogonalisation, growing the Krylov basis until the k leading Ritz
 * pairs have converged (a few dozen products with G instead of a full decomposition).
 */
function topEigenvectors(g: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array } {
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  const random = randomVectors(n);
  let q = normalised(random());
  let scale = 0;
  for (;;) {
    basis.push(q);
    const w = multiplyVector(g, n, q);
    const a = dot(w, q);
    alpha.push(a);
    scale = Math.max(scale, Math.abs(a));
    reorthogonalise(w, basis);
    let b = Math.sqrt(dot(w, w));
    const m = basis.length;
    if (m === n || (m >= Math.min(n, 2 * k + 8) && m % 8 === 0) || b <= 1e-14 * scale) {
      const ritz = symmetricEigen(tridiagonal(alpha, beta), m);
      const done = m === n || ritzConverged(ritz.vectors, m, k, b, ritz.values[0]!);
      if (done || m === n) return ritzVectors(basis, ritz, n, k);
    }
    if (b <= 1e-14 * scale) {
      // An invariant subspace: carry on from a fresh direction, uncoupled from it.
      const fresh = random();
      reorthogonalise(fresh, basis);
      q = normalised(fresh);
      b = 0;
    } else {
      q = w.map((x) => x / b);
    }
    beta.push(b);
  }
}

function tridiagonal(alpha: readonly number[], beta: readonly number[]): Float64Array {
  const m = alpha.length;
  const t = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    t[i * m + i] = alpha[i]!;
    if (i + 1 < m) t[i * m + i + 1] = t[(i + 1) * m + i] = beta[i]!;
  }
  return t;
}

/** The residual of Ritz pair i is |b · s_i[m-1]|. */
function ritzConverged(s: Float64Array, m: number, k: number, b: number, largest: number): boolean {
  for (let i = 0; i < k; i++) if (Math.abs(b * s[(m - 1) * m + i]!) > TOLERANCE * Math.max(largest, Number.MIN_VALUE)) return false;
  return true;
}

function ritzVectors(basis: readonly Float64Array[], ritz: { values: Float64Array; vectors: Float64Array }, n: number, k: number) {
  const m = basis.length;
  const vectors = new Float64Array(n * k);
  for (let j = 0; j < m; j++) {
    const qj = basis[j]!;
    for (let i = 0; i < k; i++) {
      const c = ritz.vectors[j * m + i]!;
      for (let x = 0; x < n; x++) vectors[x * k + i] = vectors[x * k + i]! + c * qj[x]!;
    }
  }
  return { values: ritz.values.subarray(0, k), vectors };
}

/** Removes from w its components along the basis, twice (classical Gram-Schmidt needs the second pass). */
function reorthogonalise(w: Float64Array, basis: readonly Float64Array[]): void {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      const d = dot(w, q);
      for (let x = 0; x < w.length; x++) w[x] = w[x]! - d * q[x]!;
    }
  }
}

function multiplyVector(g: Float64Array, n: number, v: Float64Array): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += g[i * n + j]! * v[j]!;
    out[i] = sum;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function normalised(v: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(v, v));
  return v.map((x) => x / norm);
}

/** Fixed pseudo-random directions, so the same weight always gives the same bases. */
function randomVectors(n: number): () => Float64Array {
  let state = 0x9e3779b9;
  return () => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      v[i] = state / 2 ** 32 - 0.5;
    }
    return v;
  };
}
