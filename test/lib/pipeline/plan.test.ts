import { describe, expect, it } from 'vitest';
import { allPairs, countJobs, jobIds, planJobs, PlanError, selectPairs } from '../../../src/lib/pipeline/plan';
import type { Job } from '../../../src/lib/pipeline/types';
import { jobSeed } from '../../../src/lib/pipeline/seeds';
import { resolveSpec } from '../../../src/lib/pipeline/spec';

const spec = (extra: Record<string, unknown> = {}) =>
  resolveSpec({
    dataset: { kind: 'stored', id: 'd' },
    model: { kind: 'bundled', name: 'm' },
    grids: { single: { lr: [1e-4, 3e-4], epochs: [1], batch: [16] }, transfer: 'tiny' },
    featureSets: ['F1', 'F1+ANSAT'],
    seed: 3,
    ...extra,
  });

const byId = (jobs: Job[]) => new Map(jobs.map((j) => [j.id, j]));

describe('planJobs', () => {
  it('lists the jobs of a small spec with stable ids, in dependency order', () => {
    const plan = planJobs(spec(), ['A', 'B']);
    expect(plan.pairs).toEqual([['A', 'B'], ['B', 'A']]);
    expect(plan.jobs.map((j) => j.id)).toEqual([
      'single/A/lr=0.0001,epochs=1,batch=16',
      'single/A/lr=0.0003,epochs=1,batch=16',
      'single/B/lr=0.0001,epochs=1,batch=16',
      'single/B/lr=0.0003,epochs=1,batch=16',
      'best/A',
      'best/B',
      'conductance/A',
      'conductance/B',
      'features',
      'transfer/A/B/lr=0.0003,epochs=1,batch=32',
      'transfer/B/A/lr=0.0003,epochs=1,batch=32',
      'regressor/F1',
      'regressor/F1%2BANSAT',
      'analysis',
    ]);
    expect(countJobs(plan)).toEqual({ single: 4, best: 2, conductance: 2, features: 1, transfer: 2, regressor: 2, analysis: 1 });
    const jobs = byId(plan.jobs);
    expect(jobs.get('best/A')!.deps).toEqual(['single/A/lr=0.0001,epochs=1,batch=16', 'single/A/lr=0.0003,epochs=1,batch=16']);
    expect(jobs.get('conductance/B')!.deps).toEqual(['best/B']);
    expect(jobs.get('features')!.deps).toEqual(['best/A', 'best/B', 'conductance/A', 'conductance/B']);
    expect(jobs.get('transfer/B/A/lr=0.0003,epochs=1,batch=32')!.deps).toEqual(['best/B']);
    expect(jobs.get('regressor/F1')!.deps).toEqual(['features', 'transfer/A/B/lr=0.0003,epochs=1,batch=32', 'transfer/B/A/lr=0.0003,epochs=1,batch=32']);
    expect(jobs.get('analysis')!.deps).toEqual(['regressor/F1', 'regressor/F1%2BANSAT']);
    // Every dependency comes earlier in the list.
    const position = new Map(plan.jobs.map((j, i) => [j.id, i]));
    for (const j of plan.jobs) for (const d of j.deps) expect(position.get(d)!).toBeLessThan(position.get(j.id)!);
  });

  it('derives each job seed from the spec seed and the job id only', () => {
    const a = planJobs(spec(), ['A', 'B']);
    const b = planJobs(spec(), ['A', 'B', 'C']);
    const single = a.jobs.find((j) => j.kind === 'single')!;
    expect(single.kind === 'single' && single.seed).toBe(jobSeed(3, single.id));
    const same = b.jobs.find((j) => j.id === single.id)!;
    expect(same.kind === 'single' && same.seed).toBe(single.kind === 'single' && single.seed);
    const seeds = a.jobs.flatMap((j) => (j.kind === 'single' || j.kind === 'transfer' ? [j.seed] : []));
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(planJobs(spec({ seed: 4 }), ['A', 'B']).jobs[0]).not.toEqual(a.jobs[0]);
  });

  it('leaves out conductance when no feature set needs ANSAT', () => {
    const plan = planJobs(spec({ featureSets: ['F1', 'F1+baselines'] }), ['A', 'B']);
    expect(countJobs(plan).conductance).toBe(0);
    expect(byId(plan.jobs).get('features')!.deps).toEqual(['best/A', 'best/B']);
  });

  it('encodes task names so that ids stay unambiguous', () => {
    expect(jobIds.best('works-with::text')).toBe('best/works-with%3A%3Atext');
    expect(jobIds.transfer('a/b', 'c', { lr: 1e-4, epochs: 2, batch: 32 })).toBe('transfer/a%2Fb/c/lr=0.0001,epochs=2,batch=32');
  });

  it('names each trained model for people with the task names as written, not the encoded ids', () => {
    const plan = planJobs(spec({ seeds: 2 }), ['works-with::text', 'a/b']);
    const names = new Set<string>();
    for (const job of plan.jobs) {
      if (job.kind !== 'single' && job.kind !== 'transfer') continue;
      expect(job.model).not.toMatch(/%[0-9A-F]{2}/);
      expect(job.label).toBe(`train ${job.model}`);
      names.add(job.model);
    }
    expect(names.size).toBe(countJobs(plan).single + countJobs(plan).transfer);
    expect(names).toContain('works-with::text → a/b (lr 0.0003, 1 epoch, batch 32, seed 2 of 2)');
  });

  it('rejects plans that cannot be analysed', () => {
    expect(() => planJobs(spec(), ['A'])).toThrow(PlanError);
    expect(() => planJobs(spec({ pairs: { kind: 'list', pairs: [['A', 'B'], ['C', 'B']] } }), ['A', 'B', 'C'])).toThrow(
      /every transfer pair has target "B"; leave-one-target-out needs pairs into at least two targets/,
    );
    expect(() => planJobs(spec({ pairs: { kind: 'list', pairs: [['A', 'X']] } }), ['A', 'B'])).toThrow(/no transfer pairs are left among the kept tasks \(A, B\); Pair A → X left out: "X" is not among the kept tasks/);
  });
});

describe('selectPairs', () => {
  const tasks = ['A', 'B', 'C', 'D', 'E'];

  it('samples N ordered pairs with the spec seed, in all-pairs order', () => {
    const s = selectPairs(spec({ pairs: 6 }), tasks);
    expect(s.pairs).toHaveLength(6);
    expect(s.pairs).toEqual(selectPairs(spec({ pairs: 6 }), tasks).pairs);
    const order = allPairs(tasks).map((p) => p.join('>'));
    const idx = s.pairs.map((p) => order.indexOf(p.join('>')));
    expect(idx.every((i) => i >= 0)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
    expect(new Set(idx).size).toBe(6);
    // Another seed, another sample (of 20 ordered pairs, choose 6).
    const other = [4, 5, 6, 7].map((seed) => selectPairs(spec({ pairs: 6, seed }), tasks).pairs.map((p) => p.join('>')).join());
    expect(other.some((o) => o !== s.pairs.map((p) => p.join('>')).join())).toBe(true);
    expect(s.notes).toEqual(['6 of 20 ordered pairs, a seeded sample (seed 3).']);
  });

  it('uses every pair when asked for more than exist', () => {
    const s = selectPairs(spec({ pairs: 50 }), ['A', 'B', 'C']);
    expect(s.pairs).toEqual(allPairs(['A', 'B', 'C']));
    expect(s.notes[0]).toMatch(/Asked for 50 pairs; 3 tasks have only 6 ordered pairs/);
  });

  it('keeps listed pairs among kept tasks and says which were left out', () => {
    const s = selectPairs(spec({ pairs: { kind: 'list', pairs: [['C', 'A'], ['A', 'Z'], ['A', 'C']] } }), tasks);
    expect(s.pairs).toEqual([['A', 'C'], ['C', 'A']]);
    expect(s.notes).toEqual(['Pair A → Z left out: "Z" is not among the kept tasks.']);
  });
});

describe('planJobs with seeds', () => {
  it('plans every training S times; seed index 0 keeps the one-seed ids and seeds; each seed comes from the id', () => {
    const one = planJobs(spec(), ['A', 'B']);
    const three = planJobs(spec({ seeds: 3 }), ['A', 'B']);
    expect(countJobs(three)).toMatchObject({ single: 3 * countJobs(one).single, transfer: 3 * countJobs(one).transfer, best: 2 });
    const ids = byId(three.jobs);
    for (const j of one.jobs) if (j.kind === 'single' || j.kind === 'transfer') expect(ids.get(j.id)).toMatchObject({ seedIndex: 0, seed: j.seed });
    const a = three.jobs.filter((j) => j.kind === 'single' && j.task === 'A' && j.setting.lr === 1e-4);
    expect(a.map((j) => j.id)).toEqual(['single/A/lr=0.0001,epochs=1,batch=16', 'single/A/lr=0.0001,epochs=1,batch=16/seed-1', 'single/A/lr=0.0001,epochs=1,batch=16/seed-2']);
    expect(a.map((j) => (j.kind === 'single' ? j.seed : -1))).toEqual(a.map((j) => jobSeed(3, j.id)));
    expect(new Set(a.map((j) => (j.kind === 'single' ? j.seed : -1))).size).toBe(3);
    // best waits for every seed of every setting; a transfer of seed k starts from the best model.
    expect(ids.get(jobIds.best('A'))!.deps).toHaveLength(6);
    expect(ids.get(jobIds.transfer('A', 'B', { lr: 3e-4, epochs: 1, batch: 32 }, 2))!.deps).toEqual([jobIds.best('A')]);
    // Another task list does not move a job's seed.
    const other = byId(planJobs(spec({ seeds: 3 }), ['A', 'B', 'C']).jobs);
    for (const j of a) expect(other.get(j.id)).toMatchObject({ seed: (j as { seed: number }).seed });
  });
});
