import { describe, expect, it } from 'vitest';
import { f1Interval, weightedF1 } from '../../../src/lib/stats/f1-interval';
import { pairedGainInterval } from '../../../src/lib/stats/paired-gain';
import { createRng } from '../../../src/lib/util/rng';

function task(n: number, seed: number) {
  const rng = createRng(seed);
  const labels = Array.from({ length: n }, () => (rng.next() < 0.25 ? 1 : 0));
  /** Predictions that get each document right with probability `accuracy`. */
  const model = (accuracy: number, s: number) => {
    const r = createRng(s);
    return labels.map((y) => (r.next() < accuracy ? y : 1 - y));
  };
  return { labels, model };
}

describe('pairedGainInterval', () => {
  it('is exactly [0, 0] for identical predictions, whatever the seeds', () => {
    const { labels, model } = task(300, 1);
    const runs = [model(0.8, 1), model(0.7, 2), model(0.9, 3)];
    const iv = pairedGainInterval(labels, runs, runs.map((r) => [...r]), { seed: 4 });
    expect([iv.estimate, iv.low, iv.high]).toEqual([0, 0, 0]);
  });

  it('estimates the difference of the mean F1s, and pairing makes it narrower than two separate intervals', () => {
    const { labels, model } = task(400, 2);
    const single = [model(0.8, 10), model(0.8, 11)];
    // The transfer model: the single model with 12 of its errors on positives fixed, per seed.
    const transfer = single.map((p) => {
      let fixed = 0;
      return p.map((q, i) => (labels[i] === 1 && q === 0 && fixed++ < 12 ? 1 : q));
    });
    const iv = pairedGainInterval(labels, transfer, single, { seed: 3 });
    const mean = (runs: number[][]) => runs.reduce((a, p) => a + weightedF1(labels, p), 0) / runs.length;
    expect(iv.estimate).toBeCloseTo(mean(transfer) - mean(single), 12);
    expect(iv.low).toBeGreaterThan(0); // a real, if small, gain
    const a = f1Interval(labels, transfer, { seed: 3 });
    const b = f1Interval(labels, single, { seed: 3 });
    expect(a.low).toBeLessThan(b.high); // the separate intervals overlap …
    expect(iv.high - iv.low).toBeLessThan((a.high - a.low) / 2); // … the paired one is much narrower
  });

  it('covers a zero gain about 95 % of the time for two independent models of the same quality', () => {
    let covered = 0;
    const trials = 100;
    for (let t = 0; t < trials; t++) {
      const { labels, model } = task(400, 100 + t);
      const iv = pairedGainInterval(labels, [model(0.8, 2 * t)], [model(0.8, 2 * t + 1)], { seed: t, replicates: 500 });
      if (iv.low <= 0 && 0 <= iv.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(1);
  });

  it('needs the same number of seeds on both sides', () => {
    const { labels, model } = task(50, 4);
    expect(() => pairedGainInterval(labels, [model(0.8, 1)], [model(0.8, 1), model(0.8, 2)], { seed: 1 })).toThrow(
      /1 transfer seeds but 2 single-task seeds/,
    );
  });
});
