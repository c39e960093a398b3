/** Task × task matrices of a stored experiment: ANSAT (every set × threshold), the baselines and the measured transfer gain. */
import { ANSAT_FEATURE_NAMES } from '../../search/featureNames';
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
  /** Measured gain F1(M_A→B, best setting) − F1(M_B, best single) for source → target. */
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

/** Gain per ordered pair: the best transfer setting against the target's best single-task setting. */
export function transferGain(runs: readonly RunRecord[]): PairMatrix {
  const bestSingle = new Map<string, number>();
  const bestTransfer: PairMatrix = {};
  for (const r of runs) {
    if (r.kind === 'single') bestSingle.set(r.task, Math.max(bestSingle.get(r.task) ?? -Infinity, r.metrics.f1));
    else if (r.sourceTask) put(bestTransfer, r.sourceTask, r.task, Math.max(bestTransfer[r.sourceTask]?.[r.task] ?? -Infinity, r.metrics.f1));
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
