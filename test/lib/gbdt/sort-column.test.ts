import { describe, expect, it } from 'vitest';
import { ColumnSorter } from '../../../src/lib/gbdt/sort-column';

describe('ColumnSorter', () => {
  it('orders present values ascending, ties by row, skipping NaN — like a comparator sort', () => {
    const n = 5000;
    const col = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      const k = (r * 2654435761) % 1000;
      col[r] = k < 50 ? NaN : k < 100 ? -0 : k < 150 ? 0 : k < 300 ? (k % 7) - 3 : Math.fround(Math.tan(k) * 1e3);
    }
    col[3] = -Infinity;
    col[4] = Infinity;
    col[5] = -3.4e38;
    const sorter = new ColumnSorter(n);
    const out = new Int32Array(n);
    const k = sorter.sort(col, n, out);
    const expected = Array.from({ length: n }, (_, r) => r)
      .filter((r) => !Number.isNaN(col[r]))
      .sort((a, b) => col[a] - col[b] || a - b);
    expect(k).toBe(expected.length);
    // −0 and +0 are equal values; only their relative order may differ from the comparator's.
    const got = Array.from(out.subarray(0, k));
    expect(got.map((r) => col[r] + 0)).toEqual(expected.map((r) => col[r] + 0));
    const ties = (rows: number[]) => rows.filter((r) => col[r] === 1).join(',');
    expect(ties(got)).toBe(ties(expected));
    // Reusing the sorter for another column gives a fresh, correct result.
    const col2 = Float32Array.from({ length: n }, (_, r) => n - r);
    const k2 = sorter.sort(col2, n, out);
    expect(k2).toBe(n);
    expect(Array.from(out.subarray(0, 5))).toEqual([n - 1, n - 2, n - 3, n - 4, n - 5]);
  });
});
