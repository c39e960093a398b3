/**
 * A trained (or loaded) boosted-trees regressor. Plain data: it survives structured cloning (Web
 * Worker messages, IndexedDB) as it is; `toXgboostJson` / `fromXgboostJson` convert it to and from
 * XGBoost's JSON model format.
 */
import type { GbdtParams } from './params';
import type { RegTree } from './tree';

export interface GbdtModel {
  /** Initial prediction of every row, float32. */
  baseScore: number;
  /** Number of input columns the trees index into. */
  numFeature: number;
  /** Column names, when known (they name the features in importance tables and in the JSON model). */
  featureNames: string[] | null;
  trees: RegTree[];
  /** The parameters it was trained with; absent for a model read from a file. */
  params?: GbdtParams;
  /** Boosting rounds run; with early stopping this exceeds `trees.length` (trees after the best are dropped). */
  roundsTrained?: number;
  /** Round (0-based) with the best validation RMSE, when early stopping was used. */
  bestIteration?: number;
}
