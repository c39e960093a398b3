/**
 * The project's one seeded PRNG: mulberry32 (32-bit state, 2^32 period), with Box–Muller normals.
 * Splits, shuffles, weight init, dropout masks and tree sampling must be reproducible from a seed
 * (Math.random cannot be seeded), the same on every backend and platform, and a resumed experiment
 * must make the same choices as the run it resumes. Not cryptographic, and it need not be.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /**
   * The raw 32-bit draws of the next `out.length` calls: `next()` would have returned each divided
   * by 2^32, and the state moves on as if it had been called. Why: dropout draws a few million values
   * per training step, and one loop without a call per value takes half the time.
   */
  fillUint32(out: Uint32Array): void;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller; both values of a pair are used, so draws alternate cos/sin). */
  normal(): number;
  /** A fresh seed in [1, 2^31 − 1], e.g. for a tfjs op that takes one. */
  seed(): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

/**
 * Methods are closures, not prototype methods, so they may be passed around unbound
 * (`Array.from({ length }, rng.next)`).
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new Error(`createRng: seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  let spareNormal: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fillUint32 = (out: Uint32Array): void => {
    let s = state;
    for (let i = 0; i < out.length; i++) {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = t ^ (t >>> 14);
    }
    state = s;
  };
  const int = (n: number): number => {
    if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(next() * n);
  };
  const normal = (): number => {
    if (spareNormal !== null) {
      const v = spareNormal;
      spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const rng: Rng = {
    next,
    fillUint32,
    int,
    normal,
    seed: () => int(2 ** 31 - 1) + 1,
    shuffle: <T>(items: T[]): T[] => shuffleInPlace(items, rng),
  };
  return rng;
}

/** Fisher–Yates shuffle in place; returns the same array. */
export function shuffleInPlace<T>(items: T[], rng: Pick<Rng, 'int'>): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}

/**
 * Derives an independent seed from a seed and a purpose label (e.g. "head", "shuffle"), so that
 * adding a new use of randomness does not shift the draws of the existing ones (FNV-1a style mix).
 */
export function subSeed(seed: number, label: string): number {
  let h = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
