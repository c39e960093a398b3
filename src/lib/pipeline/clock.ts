/**
 * How the pipeline measures time. Wall times are results here (Runtime@K, the headline's savings),
 * so they are measured through an injectable clock:
 * - `wallClock()`: real milliseconds (performance.now), what an experiment reports;
 * - `workClock(msPerUnit)`: counts work instead of time, so the same experiment gives the same
 *   "times" on every run, including one killed and resumed half-way: results compare byte for
 *   byte (the CLI's `--deterministic-clock`). One unit of work ≈ one forward + backward pass of one
 *   sequence: a training example seen, a conductance interpolation point, a regressor training row.
 *   Evaluation counts nothing (training wall times exclude it, as in the paper).
 */

export interface Measurement {
  /** Adds work done during this measurement (ignored by the wall clock). */
  add(units: number): void;
  elapsedMs(): number;
}

export interface Clock {
  readonly kind: 'wall' | 'work';
  measure(): Measurement;
}

export function wallClock(now: () => number = () => performance.now()): Clock {
  return {
    kind: 'wall',
    measure() {
      const start = now();
      return { add() {}, elapsedMs: () => now() - start };
    },
  };
}

export function workClock(msPerUnit = 1): Clock {
  if (!(msPerUnit > 0)) throw new Error(`workClock: msPerUnit must be > 0, got ${msPerUnit}`);
  return {
    kind: 'work',
    measure() {
      let units = 0;
      return {
        add(n: number) {
          if (!(n >= 0)) throw new Error(`workClock: work must be ≥ 0, got ${n}`);
          units += n;
        },
        elapsedMs: () => units * msPerUnit,
      };
    },
  };
}
