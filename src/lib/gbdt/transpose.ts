/**
 * Row-major ↔ column-major copies. Reading one column of a row-major matrix touches a new cache line
 * per row; doing it for every feature reads the whole matrix d times. Transposing block by block
 * keeps a block of rows in cache while each column is written.
 */

/** Rows per block when transposing: a block of rows stays in cache while each column is written. */
export const BLOCK = 64;

/** Column-major copy of the row-major n × d matrix `X`, transposed block by block. */
export function toColumnMajor(X: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let f = 0; f < d; f++) {
      const col = f * n;
      for (let r = r0; r < r1; r++) out[col + r] = X[r * d + f];
    }
  }
  return out;
}

