import { describe, expect, it } from 'vitest';
import { medianScaling, scalingOf, syntheticJsonl } from '../../../src/cli/bench/experiment';

const lane = (lanes: number, jobs: number, wall_s: number) => ({ lanes, jobs, wall_s, examples_per_s: 0, peak_rss_mb: 0 });

describe('bench experiment: scaling', () => {
  it('sets N lanes and N independent processes against one lane, and the lanes against the processes', () => {
    // One lane: 20 jobs in 40 s (0.5/s); 2 lanes: 20 in 25 s (0.8/s); 2 processes: 40 in 40 s (1/s).
    const [two] = scalingOf([lane(1, 20, 40), lane(2, 20, 25)], [{ processes: 2, jobs: 40, wall_s: 40, examples_per_s: 0 }]);
    expect(two).toEqual({ lanes: 2, lanes_vs_one: 1.6, independent_vs_one: 2, lanes_share_of_independent: 0.8 });
  });

  it('reports the lanes alone without a control, and nothing without a one-lane run', () => {
    expect(scalingOf([lane(1, 20, 40), lane(2, 20, 25)], [])).toEqual([{ lanes: 2, lanes_vs_one: 1.6 }]);
    expect(scalingOf([lane(2, 20, 25)], [])).toEqual([]);
  });
});

describe('bench experiment: repeats', () => {
  it('takes the median of each ratio over the repeats, per lane count', () => {
    const r = (lanes_vs_one: number, independent_vs_one?: number, lanes_share_of_independent?: number) => ({ lanes: 2, lanes_vs_one, ...(independent_vs_one ? { independent_vs_one, lanes_share_of_independent } : {}) });
    expect(medianScaling([[r(1.6, 2, 0.8)], [r(1.9, 1.9, 1)], [r(1.7, 1.8, 0.94)]])).toEqual([{ lanes: 2, lanes_vs_one: 1.7, independent_vs_one: 1.9, lanes_share_of_independent: 0.94 }]);
    // An even count: the mean of the middle two. A figure missing from a repeat (no control) is left out.
    expect(medianScaling([[r(1.6, 2, 0.8)], [r(1.8)]])).toEqual([{ lanes: 2, lanes_vs_one: 1.7 }]);
    expect(medianScaling([[{ lanes: 2, lanes_vs_one: 1.5 }, { lanes: 3, lanes_vs_one: 2.1 }], [{ lanes: 2, lanes_vs_one: 1.7 }, { lanes: 3, lanes_vs_one: 2.5 }]]))
      .toEqual([{ lanes: 2, lanes_vs_one: 1.6 }, { lanes: 3, lanes_vs_one: 2.3 }]);
  });
});

describe('bench experiment: data', () => {
  const labelsOf = (jsonl: string) => jsonl.trim().split('\n').map((l) => (JSON.parse(l) as { labels: string[] }).labels);

  it('keeps the 3-task data set of earlier runs and adds tasks on request', () => {
    expect(syntheticJsonl(50)).toBe(syntheticJsonl(50, 3));
    const four = new Set(labelsOf(syntheticJsonl(300, 4)).flat());
    expect([...four].sort()).toEqual(['aid', 'fire', 'flood', 'quake']);
    expect(new Set(labelsOf(syntheticJsonl(300, 6)).flat()).size).toBe(6);
  });

  it('refuses a task count it has no words for', () => {
    expect(() => syntheticJsonl(10, 0)).toThrow(/--tasks must be an integer from 1 to 6/);
    expect(() => syntheticJsonl(10, 7)).toThrow(/--tasks/);
    expect(() => syntheticJsonl(10, 2.5)).toThrow(/--tasks/);
  });
});
