import { describe, expect, it } from 'vitest';
import { runJobPool } from '../../../src/lib/pipeline/job-pool';
import type { Job } from '../../../src/lib/pipeline/types';

const job = (id: string, deps: string[] = []): Job => ({ id, kind: 'features', label: id, deps });
// a, b, c independent; d needs a and b; e needs d.
const JOBS = [job('a'), job('b'), job('c'), job('d', ['a', 'b']), job('e', ['d'])];
const tick = () => new Promise((r) => setTimeout(r, 1));

function harness(fail: string[] = []) {
  const done = new Set<string>();
  const log: string[] = [];
  let inFlight = 0;
  let peak = 0;
  const lanesSeen = new Set<number>();
  const start = async (j: Job, lane: number): Promise<'done' | 'paused'> => {
    for (const d of j.deps) if (!done.has(d)) throw new Error(`${j.id} started before ${d}`);
    inFlight++;
    peak = Math.max(peak, inFlight);
    lanesSeen.add(lane);
    log.push(`start ${j.id}@${lane}`);
    await tick();
    await tick();
    inFlight--;
    if (fail.includes(j.id)) throw new Error(`${j.id} failed`);
    done.add(j.id);
    log.push(`done ${j.id}`);
    return 'done';
  };
  return { done, log, start, isDone: (id: string) => done.has(id), peak: () => peak, lanesSeen };
}

describe('runJobPool', () => {
  it('runs every job once, never more than N at once, dependencies first, on lanes 1..N', async () => {
    for (const lanes of [1, 2, 3]) {
      const h = harness();
      const r = await runJobPool({ jobs: JOBS, isDone: h.isDone, lanes, start: h.start });
      expect(r).toEqual({ status: 'done' });
      expect([...h.done].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(h.peak()).toBe(lanes);
      expect([...h.lanesSeen].sort()).toEqual(Array.from({ length: lanes }, (_, i) => i + 1));
    }
  });

  it('with one lane runs in plan order', async () => {
    const h = harness();
    await runJobPool({ jobs: JOBS, isDone: h.isDone, lanes: 1, start: h.start });
    expect(h.log.filter((l) => l.startsWith('start'))).toEqual(['start a@1', 'start b@1', 'start c@1', 'start d@1', 'start e@1']);
  });

  it('skips done jobs; a failure lets the job in flight finish, starts nothing new, and reports the failure', async () => {
    const h = harness(['b']);
    h.done.add('c');
    const r = await runJobPool({ jobs: JOBS, isDone: h.isDone, lanes: 2, start: h.start });
    expect(r.status).toBe('paused');
    expect((r.error as Error).message).toBe('b failed');
    expect([...h.done].sort()).toEqual(['a', 'c']);
    expect(h.log.some((l) => l.startsWith('start c') || l.startsWith('start d'))).toBe(false);
  });

  it('stops starting jobs when the signal aborts or maxJobs is reached', async () => {
    const h = harness();
    const r = await runJobPool({ jobs: JOBS, isDone: h.isDone, lanes: 2, maxJobs: 3, start: h.start });
    expect(r.status).toBe('paused');
    expect(h.done.size).toBe(3);
    const aborted = harness();
    const controller = new AbortController();
    controller.abort();
    expect(await runJobPool({ jobs: JOBS, isDone: aborted.isDone, lanes: 2, signal: controller.signal, start: aborted.start })).toEqual({ status: 'paused' });
    expect(aborted.log).toEqual([]);
  });

  it('refuses a lane count that is not an integer ≥ 1', async () => {
    const h = harness();
    await expect(runJobPool({ jobs: JOBS, isDone: h.isDone, lanes: 0, start: h.start })).rejects.toThrow('lanes must be an integer ≥ 1, got 0');
  });
});
