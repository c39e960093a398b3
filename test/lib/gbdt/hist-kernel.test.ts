import { describe, expect, it } from 'vitest';
import { createHistKernel } from '../../../src/lib/gbdt/hist-kernel';

function randomCase(n: number, d: number, totalSlots: number, wide: boolean) {
  const slots = wide ? new Uint32Array(n * d) : new Uint16Array(n * d);
  const per = Math.floor(totalSlots / d);
  for (let r = 0; r < n; r++) for (let f = 0; f < d; f++) slots[r * d + f] = f * per + ((r * 7919 + f * 104729) % per);
  return slots;
}

describe('histogram kernels', () => {
  it('Node has WebAssembly SIMD, so the fast kernel is used', () => {
    const k = createHistKernel(new Uint16Array(4), 2, 2, 4);
    expect(k.kind).toBe('wasm-simd');
    expect(createHistKernel(new Uint16Array(4), 2, 2, 4, 'js').kind).toBe('js');
  });

  for (const [wide, d, totalSlots] of [[false, 7, 7 * 40], [true, 5, 70000]] as const) {
    it(`WebAssembly and JavaScript give bit-identical sums (${wide ? 'u32' : 'u16'} slots, d=${d})`, () => {
      const n = 3001;
      const slots = randomCase(n, d, totalSlots, wide);
      const wasm = createHistKernel(slots, n, d, totalSlots);
      const js = createHistKernel(slots, n, d, totalSlots, 'js');
      expect(wasm.kind).toBe('wasm-simd');
      for (const k of [wasm, js]) {
        for (let r = 0; r < n; r++) {
          k.rows[r] = n - 1 - r;
          k.grad[r] = Math.fround(Math.sin(r) * 3);
          k.hess[r] = r % 3 === 0 ? 0.5 : 1;
        }
      }
      const a = new Float64Array(2 * totalSlots).fill(123); // build overwrites, it does not add
      const b = new Float64Array(2 * totalSlots);
      wasm.build(a, 10, 2500);
      js.build(b, 10, 2500);
      expect(a).toEqual(b);
      // Spot-check one slot against a direct sum.
      const slot = slots[(n - 1 - 10) * d + 2];
      let g = 0;
      let h = 0;
      for (let i = 10; i < 2500; i++) {
        const r = n - 1 - i;
        for (let f = 0; f < d; f++) if (slots[r * d + f] === slot) { g += js.grad[r]; h += js.hess[r]; }
      }
      expect(b[2 * slot]).toBeCloseTo(g, 9);
      expect(b[2 * slot + 1]).toBe(h);
    });
  }
});
