/** Task × task matrices of a stored experiment: ANSAT (every set × threshold), the baselines and the measured transfer gain. */
import { ANSAT_FEATURE_NAMES } from '../../search/feature-names';
import type { RunRecord } from '../../store/records';
import type { Store } from '../../store/store';
import { BASELINE_FEATURE_NAMES } from '../../transfer/baselines/names';
import { recordIds } from '../ids';
import { planJobs } from '../plan';
import type { StoredExperiment } from './stored-experiment';

/** source → target → value. */
export type PairMatrix = Record<string, Record<string, number>>;

export interface TransferMatrices {
  tasks: string[];
  /** ANSAT values keyed by feature name (`ansat_D_A_0.05`), then source → target → value. */
  ansat: Record<string, PairMatrix>;
  /** Measured gain F1(M_A→B, best setting) − F1(M_B, best single) for source → target (chosen on validation, seeds averaged: `transferGain`). */
  gain: PairMatrix;
  /** Cheap baselines (label co-occurrence, vocabulary, TF-IDF), same shape as ansat. */
  baselines: Record<string, PairMatrix>;
  hasAnsat: boolean;
}

function put(m: PairMatrix, a: string, b: string, v: number): void {
  (m[a] ??= {})[b] = v;
}

/** Reads whatever is stored so far: pairs without features and tasks without runs are simply absent. */
export async function transferMatrices(store: Store, { record, plan }: StoredExperiment): Promise<TransferMatrices> {
  const id = record.id;
  const ansat: Record<string, PairMatrix> = {};
  const baselines: Record<string, PairMatrix> = {};
  let hasAnsat = false;
  for (const [source, target] of planJobs(plan.spec, plan.tasks.kept).pairs) {
    const f = await store.features.get(recordIds.features(id, source, target));
    if (!f) continue;
    for (const name of ANSAT_FEATURE_NAMES) {
      if (f.values[name] === undefined) continue;
      hasAnsat = true;
      put((ansat[name] ??= {}), source, target, f.values[name]);
    }
    for (const name of BASELINE_FEATURE_NAMES) {
      if (f.values[name] !== undefined) put((baselines[name] ??= {}), source, target, f.values[name]);
    }
  }
  return { tasks: plan.tasks.kept, ansat, gain: transferGain(await store.runs.listBy('experimentId', id)), baselines, hasAnsat };
}

/**
 * Gain per ordered pair: the best transfer setting against the target's best single-task setting,
 * chosen as the pipeline chooses (search/table1): by validation F1 where every candidate has one,
 * else by test F1; a setting's seeds (run ids ending `/seed-k`) count as their mean. Reported: the
 * chosen settings' mean TEST F1s.
 */
export function transferGain(runs: readonly RunRecord[]): PairMatrix {
  // Runs grouped by setting: the run id without its seed suffix.
  const groups = new Map<string, RunRecord[]>();
  for (const r of runs) {
    if (r.kind === 'transfer' && !r.sourceTask) continue;
    const key = r.id.replace(/\/seed-\d+$/, '');
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const mean = (rs: RunRecord[], m: string) => rs.reduce((a, r) => a + r.metrics[m]!, 0) / rs.length;
  /** candidates of one slot (a task's single settings, a pair's transfer settings) → chosen mean test F1. */
  const slots = new Map<string, RunRecord[][]>();
  for (const rs of groups.values()) {
    const r = rs[0]!;
    const slot = r.kind === 'single' ? `single\u0000${r.task}` : `transfer\u0000${r.sourceTask}\u0000${r.task}`;
    const list = slots.get(slot);
    if (list) list.push(rs);
    else slots.set(slot, [rs]);
  }
  const chosen = (candidates: RunRecord[][]): number => {
    const onValidation = candidates.every((rs) => rs.every((r) => typeof r.metrics.validationF1 === 'number'));
    let best = candidates[0]!;
    for (const rs of candidates) if (mean(rs, onValidation ? 'validationF1' : 'f1') > mean(best, onValidation ? 'validationF1' : 'f1')) best = rs;
    return mean(best, 'f1');
  };
  const bestSingle = new Map<string, number>();
  const bestTransfer: PairMatrix = {};
  for (const [slot, candidates] of slots) {
    const [kind, a, b] = slot.split('\u0000');
    if (kind === 'single') bestSingle.set(a!, chosen(candidates));
    else put(bestTransfer, a!, b!, chosen(candidates));
  }
  const gain: PairMatrix = {};
  for (const [source, row] of Object.entries(bestTransfer)) {
    for (const [target, f1] of Object.entries(row)) {
      const base = bestSingle.get(target);
      if (base !== undefined) put(gain, source, target, f1 - base);
    }
  }
  return gain;
}
