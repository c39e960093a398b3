import { describe, expect, it } from 'vitest';
import { gbdtRegressor } from '../../../src/lib/gbdt/regressor';
import { replay, REPLAY_STRATEGIES, type StrategyReport } from '../../../src/lib/search/replay';
import { readReplayData } from '../../../src/lib/search/replay-input';
import { regretAtShare } from '../../../src/lib/search/replay-metrics';
import { exhaustiveFolder, runFolderTexts, type SyntheticFolder } from './replay-run-folder';

const TASKS = ['A', 'B', 'C', 'D', 'E', 'F'];
const index = (t: string) => TASKS.indexOf(t);
const fit = gbdtRegressor({ n_estimators: 30, max_depth: 2, learning_rate: 0.3 });

/**
 * Values depend on the pair; `x` (named like an ANSAT feature so that guided is charged conductance)
 * determines the value the same way for every target; `logme` is the value itself when asked for.
 * Costs differ per source so that cost shares are not just counts.
 */
function folder(withLogme: boolean, extra: Partial<SyntheticFolder> = {}): SyntheticFolder {
  return exhaustiveFolder(
    TASKS,
    (s, t) => {
      const value = 0.2 + 0.1 * ((index(s) * 5 + index(t) * 2) % 7);
      return {
        value,
        ms: 10 + 5 * index(s),
        features: { f1_source: 0.5, f1_target: 0.4, 'ansat_D_A_0.05': value * 3 - 0.1, ...(withLogme ? { logme: -1 + value } : {}) },
      };
    },
    () => 0.15,
    ['f1_source', 'f1_target', 'ansat_D_A_0.05', ...(withLogme ? ['logme'] : [])],
    { conductanceMs: 40, ...extra },
  );
}

const report = (r: ReturnType<typeof replay>, name: string) => r.strategies[name] as StrategyReport;
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('replay', () => {
  it('prints every figure as {mean, ci95} under the issue\'s keys, for every strategy', () => {
    const r = replay(readReplayData(runFolderTexts(folder(true))), { fit, randomOrders: 50 });
    expect(Object.keys(r)).toEqual(['strategies']);
    expect(Object.keys(r.strategies)).toEqual([...REPLAY_STRATEGIES]);
    for (const name of REPLAY_STRATEGIES) {
      const s = report(r, name);
      expect(Object.keys(s)).toEqual(['share_to_within_tolerance', 'regret_at_share', 'regret_at_k', 'with_overhead']);
      expect(Object.keys(s.regret_at_share)).toEqual(['0.1', '0.25', '0.5']);
      expect(Object.keys(s.regret_at_k)).toEqual(['1', '3', '5']);
      for (const f of [s.share_to_within_tolerance, ...Object.values(s.regret_at_share), ...Object.values(s.regret_at_k)]) {
        expect(Object.keys(f)).toEqual(['mean', 'ci95']);
        expect(f.ci95[0]).toBeLessThanOrEqual(f.mean + 1e-12);
        expect(f.ci95[1]).toBeGreaterThanOrEqual(f.mean - 1e-12);
      }
      expect(s.with_overhead).toHaveProperty('share_to_within_tolerance');
    }
  });

  it('oracle finds the best source first; guided, learning x from the other targets, does too; random does not', () => {
    const r = replay(readReplayData(runFolderTexts(folder(false))), { fit, strategies: ['oracle', 'guided', 'random'] });
    expect(report(r, 'oracle').regret_at_k['1']).toEqual({ mean: 0, ci95: [0, 0] });
    expect(report(r, 'guided').regret_at_k['1']!.mean).toBe(0);
    expect(report(r, 'random').regret_at_k['1']!.mean).toBeGreaterThan(5);
    expect(report(r, 'guided').share_to_within_tolerance.mean).toBeLessThan(report(r, 'random').share_to_within_tolerance.mean);
  });

  it('logme orders by the feature (here the value itself: as good as the oracle), and is unavailable without it', () => {
    const withIt = replay(readReplayData(runFolderTexts(folder(true))), { fit, strategies: ['logme', 'oracle'] });
    expect(report(withIt, 'logme').regret_at_k).toEqual(report(withIt, 'oracle').regret_at_k);
    expect(report(withIt, 'logme').with_overhead).toMatchObject({ not_counted: expect.stringContaining('LogME'), overhead_ms: 7 * TASKS.length });
    // With the LogME time in summary.json (the features job writes it), it is charged and nothing is left out.
    const timed = replay(readReplayData(runFolderTexts(folder(true, { logmeMs: 25 }))), { fit, strategies: ['logme'] });
    expect(report(timed, 'logme').with_overhead).toEqual(expect.objectContaining({ overhead_ms: 7 * TASKS.length + 25 }));
    expect(report(timed, 'logme').with_overhead).not.toHaveProperty('not_counted');
    expect(() => readReplayData(runFolderTexts(folder(true, { logmeMs: -1 })))).toThrow(/timings\.logmeMs/);
    const without = replay(readReplayData(runFolderTexts(folder(false))), { fit, strategies: ['logme'] });
    expect(without.strategies.logme).toEqual({ unavailable: expect.stringContaining('no "logme" column') });
  });

  it('with_overhead charges S to every strategy and the conductance to guided with ANSAT; unknown conductance makes it unavailable', () => {
    const data = readReplayData(runFolderTexts(folder(false)));
    const S = 7 * TASKS.length;
    expect(data.singleTaskMs).toBe(S);
    const r = replay(data, { fit, strategies: ['guided', 'f1-only', 'oracle'] });
    expect(report(r, 'guided').with_overhead).toMatchObject({ overhead_ms: S + 40 });
    expect(report(r, 'f1-only').with_overhead).toMatchObject({ overhead_ms: S });
    // Oracle with overhead, by hand for target A: its best source comes first, so the share is
    // (S + cost of that source) / (S + all of A's candidate costs).
    const a = data.targets[0]!;
    const best = a.candidates.reduce((m, c) => (c.value > m.value ? c : m));
    const total = a.candidates.reduce((s, c) => s + c.costMs, 0);
    const oneTarget = { ...data, targets: [a] };
    const ro = replay(oneTarget, { fit, strategies: ['oracle'] });
    expect((report(ro, 'oracle').with_overhead as { share_to_within_tolerance: { mean: number } }).share_to_within_tolerance.mean).toBeCloseTo((S + best.costMs) / (S + total), 12);
    const { runsCsv, featuresCsv } = runFolderTexts(folder(false));
    const noSummary = replay(readReplayData({ runsCsv, featuresCsv }), { fit, strategies: ['guided', 'oracle'] });
    expect(report(noSummary, 'guided').with_overhead).toEqual({ unavailable: expect.stringContaining('conductance time is unknown') });
    expect(report(noSummary, 'oracle').with_overhead).toMatchObject({ overhead_ms: S });
  });

  it('random: regret_at_share from sampled orders converges to the mean over all orders; the rest is exact', () => {
    const data = readReplayData(runFolderTexts(folder(false)));
    const t = data.targets[2]!;
    const one = { ...data, targets: [t] };
    const perms = (n: number): number[][] => (n === 1 ? [[0]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    const all = perms(t.candidates.length);
    const r = replay(one, { fit, strategies: ['random'], randomOrders: 6000 });
    for (const s of [0.1, 0.25, 0.5]) {
      const exact = meanOf(all.map((o) => regretAtShare(t, o, s)));
      expect(Math.abs(report(r, 'random').regret_at_share[String(s)]!.mean - exact)).toBeLessThan(1); // percent points; SE ≈ 0.3
    }
    // The sampled part is seeded: the same seed gives the same figures, another seed others.
    expect(replay(one, { fit, strategies: ['random'], randomOrders: 30, seed: 1 })).toEqual(replay(one, { fit, strategies: ['random'], randomOrders: 30, seed: 1 }));
    expect(replay(one, { fit, strategies: ['random'], randomOrders: 30, seed: 1 })).not.toEqual(replay(one, { fit, strategies: ['random'], randomOrders: 30, seed: 2 }));
  });

  it('with one target, the strategies that learn from other targets are unavailable; bad options are refused', () => {
    const data = readReplayData(runFolderTexts(folder(false)));
    const one = { ...data, targets: [data.targets[0]!] };
    const r = replay(one, { fit, strategies: ['guided', 'f1-only', 'random'] });
    expect(r.strategies.guided).toEqual({ unavailable: expect.stringContaining('only one target') });
    expect(r.strategies['f1-only']).toEqual({ unavailable: expect.stringContaining('only one target') });
    expect(report(r, 'random').share_to_within_tolerance.mean).toBeGreaterThan(0);
    expect(() => replay(data, { fit, tolerance: -1 })).toThrow('tolerance');
    expect(() => replay(data, { fit, randomOrders: 0 })).toThrow('random orders');
    expect(() => replay(data, { fit, strategies: ['greedy' as never] })).toThrow('unknown strategy "greedy"');
  });
});
