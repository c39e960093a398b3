/**
 * Feature importance as XGBoost's `Booster.get_score(importance_type=…)` computes it, over the split
 * nodes of all trees (leaves and pruned nodes excluded):
 * - weight: number of splits on the feature;
 * - total_gain / total_cover: sum of the splits' loss changes / hessian sums;
 * - gain / cover: those sums divided by weight (the average per split).
 * Features never split on are absent, as in XGBoost. Keys are the feature names, or XGBoost's
 * default names f0, f1, … when the model has none.
 */
import type { GbdtModel } from './model';

export type ImportanceType = 'weight' | 'gain' | 'cover' | 'total_gain' | 'total_cover';

export const IMPORTANCE_TYPES: readonly ImportanceType[] = ['weight', 'gain', 'cover', 'total_gain', 'total_cover'];

export function featureImportance(model: GbdtModel, type: ImportanceType = 'gain'): Record<string, number> {
  if (!IMPORTANCE_TYPES.includes(type)) {
    throw new Error(`unknown importance type ${JSON.stringify(type)}; one of ${IMPORTANCE_TYPES.join(', ')}`);
  }
  const d = model.numFeature;
  const count = new Float64Array(d);
  const gain = new Float64Array(d);
  const cover = new Float64Array(d);
  for (const t of model.trees) {
    for (let nid = 0; nid < t.numNodes; nid++) {
      if (t.left[nid] === -1 || t.deleted[nid]) continue;
      const f = t.splitIndex[nid];
      count[f] += 1;
      gain[f] += t.lossChange[nid];
      cover[f] += t.sumHessian[nid];
    }
  }
  const out: Record<string, number> = {};
  for (let f = 0; f < d; f++) {
    if (count[f] === 0) continue;
    const name = model.featureNames?.[f] ?? `f${f}`;
    out[name] =
      type === 'weight' ? count[f]
      : type === 'total_gain' ? gain[f]
      : type === 'total_cover' ? cover[f]
      : type === 'gain' ? gain[f] / count[f]
      : cover[f] / count[f];
  }
  return out;
}
