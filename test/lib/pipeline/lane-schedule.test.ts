/**
 * The plan estimate's wall time with N lanes (src/lib/pipeline/lane-schedule.ts): the job pool's
 * rule replayed on a job graph. One lane is the sum; independent jobs split over the lanes; a chain
 * cannot go faster than its length however many lanes; plan order decides which ready job starts.
 */
import { describe, expect, it } from 'vitest';
import { scheduledSeconds, secondsWithLanes } from '../../../src/lib/pipeline/lane-schedule';
import type { JobPlan } from '../../../src/lib/pipeline/types';

const plan = (jobs: [string, string[]][]): JobPlan => ({ jobs: jobs.map(([id, deps]) => ({ id, deps, kind: 'single', label: id })) } as unknown as JobPlan);

describe('scheduledSeconds', () => {
  // a, b independent; c needs a; d needs b and c (a small single → transfer → analysis graph).
  const graph = plan([['a', []], ['b', []], ['c', ['a']], ['d', ['b', 'c']]]);
  const seconds = [4, 2, 3, 1];

  it('one lane: the sum of the jobs', () => {
    expect(scheduledSeconds(graph, seconds, 1)).toBe(10);
  });

  it('two lanes: a and b at once, c after a, d after both (the critical path a → c → d)', () => {
    expect(scheduledSeconds(graph, seconds, 2)).toBe(8);
    expect(scheduledSeconds(graph, seconds, 8)).toBe(8);
  });

  it('independent jobs share the lanes in plan order', () => {
    const flat = plan([['a', []], ['b', []], ['c', []], ['d', []]]);
    expect(scheduledSeconds(flat, [3, 3, 3, 3], 2)).toBe(6);
    expect(scheduledSeconds(flat, [3, 3, 3, 3], 3)).toBe(6);
    expect(scheduledSeconds(flat, [3, 3, 3, 3], 4)).toBe(3);
  });

  it('an empty plan takes no time', () => {
    expect(scheduledSeconds(plan([]), [], 2)).toBe(0);
  });
});

describe('secondsWithLanes', () => {
  const estimate = { seconds: { single: 0, transfer: 0, conductance: 0, total: 10 }, lanesSeconds: [10, 6, 5] };
  it('reads the entry for the lane count, the last one beyond it, the total for one lane or an old estimate', () => {
    expect(secondsWithLanes(estimate, 2)).toBe(6);
    expect(secondsWithLanes(estimate, 7)).toBe(5);
    expect(secondsWithLanes(estimate, 1)).toBe(10);
    expect(secondsWithLanes({ seconds: estimate.seconds }, 4)).toBe(10);
  });
});
