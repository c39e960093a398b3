/**
 * A small seeded PRNG (mulberry32) for everything in the pretraining and demo-data code that must be
 * reproducible: sampling, splits, held-out slices, masking. Math.random cannot be seeded, and the
 * outputs (a committed data set, a corpus, masked batches) must be identical run after run.
 *
 * mulberry32 has a 2^32 period, which is plenty for shuffles of a few million items; it is not
 * cryptographic and does not need to be.
 */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  if (!Number.isFinite(seed)) throw new Error(`seededRandom: seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => {
    if (!(n >= 1) || !Number.isInteger(n)) throw new Error(`SeededRandom.int: n must be a positive integer, got ${n}`);
    return Math.floor(next() * n);
  };
  return { next, int };
}

/** Fisher–Yates shuffle in place; returns the same array for chaining. */
export function shuffleInPlace<T>(items: T[], rng: SeededRandom): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
