/**
 * @deprecated The seeded PRNG lives in `src/lib/util/rng.ts` (`createRng`, `subSeed`). This file
 * only keeps the old names alive for `src/lib/pretrain/pretrainer.ts`, which is being finished in
 * parallel; delete it once that file imports from `../util/rng`.
 */
import { createRng, type Rng } from '../util/rng';

export { subSeed } from '../util/rng';

// Declaration merging gives the class Rng's members.
export interface SeededRandom extends Rng {}
// A constructor that returns createRng's object: `new SeededRandom(s)` draws exactly what createRng(s) draws.
export class SeededRandom {
  constructor(seed: number) {
    return createRng(seed) as SeededRandom;
  }
}
