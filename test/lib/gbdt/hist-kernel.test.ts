import { describe, expect, it } from 'vitest';
import { createHistKernel, type RowCodes } from '../../../src/lib/gbdt/hist-kernel';

/** Random row-major codes of one of the three layouts, `per` slots per feature. */
function randomCodes(n: number, d: number, per: number, layout: 'u8' | 'u16' | 'u32'): RowCodes {
  const slotStart = Int32Array.from({ length: d + 1 }, (_, f) => f * per);
  const code = (r: number, f: number) => (r * 7919 + f * 104729) % per;
  if (layout === 'u8') {
    const codes8 = new Uint8Array(n * d);
    for (let r = 0; r < n; r++) for (let f = 0; f < d; f++) codes8[r * d + f] = code(r, f);
    return { codes8, slots: null, slotStart, totalSlots: d * per };
  }
  const slots = layout === 'u16' ? new Uint16Array(n * d) : new Uint32Array(n * d);
  for (let r = 0; r < n; r++) for (let f = 0; f < d; f++) slots[r * d + f] = slotStart[f] + code(r, f);
  return { codes8: null, slots, slotStart, totalSlots: d * per };
}

describe('histogram kernels', () => {
  it('Node has WebAssembly SIMD, so the fast kernel is used', () => {
    const codes = randomCodes(2, 2, 4, 'u8');
    expect(createHistKernel(codes, 2, 2).kind).toBe('wasm-simd');
    expect(createHistKernel(codes, 2, 2, 'js').kind).toBe('js');
  });

  for (const [layout, d, per] of [['u8', 7, 256], ['u8', 4, 3], ['u16', 6, 300], ['u32', 5, 14000]] as const) {
    it(`WebAssembly and JavaScript give bit-identical sums (${layout} codes, d=${d}, ${per} slots per feature)`, () => {
      const n = 3001;
      const codes = randomCodes(n, d, per, layout);
      const wasm = createHistKernel(codes, n, d);
      const js = createHistKernel(codes, n, d, 'js');
      expect(wasm.kind).toBe('wasm-simd');
      for (const k of [wasm, js]) {
        for (let r = 0; r < n; r++) {
          k.rows[r] = n - 1 - r;
          k.grad[r] = Math.fround(Math.sin(r) * 3);
          k.hess[r] = r % 3 === 0 ? 0.5 : 1;
        }
      }
      const total = codes.totalSlots;
      const a = new Float64Array(2 * total).fill(123); // build overwrites, it does not add
      const b = new Float64Array(2 * total);
      wasm.build(a, 10, 2500);
      js.build(b, 10, 2500);
      expect(a).toEqual(b);
      // One slot against a direct sum.
      const slotOf = (r: number, f: number) => (codes.codes8 ? codes.slotStart[f] + codes.codes8[r * d + f] : codes.slots![r * d + f]);
      const slot = slotOf(n - 1 - 10, 2);
      let g = 0;
      let h = 0;
      for (let i = 10; i < 2500; i++) {
        const r = n - 1 - i;
        for (let f = 0; f < d; f++) {
          if (slotOf(r, f) === slot) {
            g += js.grad[r];
            h += js.hess[r];
          }
        }
      }
      expect(b[2 * slot]).toBeCloseTo(g, 9);
      expect(b[2 * slot + 1]).toBe(h);
      // The fused subtraction: small = sums, parent −= sums.
      const parent1 = new Float64Array(2 * total).fill(1000);
      const parent2 = parent1.slice();
      const s1 = new Float64Array(2 * total);
      const s2 = new Float64Array(2 * total);
      wasm.buildAndSubtract(s1, parent1, 100, 900);
      js.buildAndSubtract(s2, parent2, 100, 900);
      expect(s1).toEqual(s2);
      expect(parent1).toEqual(parent2);
      expect(parent1[2 * slot + 1] + s1[2 * slot + 1]).toBe(1000);
      // Histograms handed out by the kernel (inside its WebAssembly memory) give the same results,
      // in every combination of inside and outside.
      for (const [inSmall, inParent] of [[true, true], [true, false], [false, true]]) {
        const small = inSmall ? wasm.newHistogram() : new Float64Array(2 * total);
        const parent = inParent ? wasm.newHistogram() : new Float64Array(2 * total);
        parent.fill(1000);
        wasm.buildAndSubtract(small, parent, 100, 900);
        expect(small).toEqual(s2);
        expect(parent).toEqual(parent2);
      }
      const inside = wasm.newHistogram();
      wasm.build(inside, 10, 2500);
      expect(inside).toEqual(b);
    });
  }
});
