/**
 * The collapse rate (issue "honest results"): the share of trained models that ended at F1 0 or
 * mostly positive while another seed of the same setting learned. It separates training instability
 * (the recipe's fault, and what makes single-seed gains noise) from a task nothing can learn (every
 * seed fails alike, e.g. a task whose documents are almost all positive). Counted over the models
 * whose setting has at least two seeds; the goal is below 5 %.
 */
import { learnedNothing, type ModelOutcome } from './model-outcome';
import { compareStrings } from './candidates';

export const MAX_COLLAPSE_RATE = 0.05;

export interface CollapseRate {
  /** Models in settings with two or more seeds. */
  models: number;
  /** Of those, how many learned nothing while a sibling seed learned. */
  collapsed: number;
  /** collapsed / models; null when no setting has two seeds. */
  rate: number | null;
  /** The collapsed models' names, in name order. */
  names: string[];
}

export function collapseRate(models: readonly ModelOutcome[]): CollapseRate {
  const groups = new Map<string, ModelOutcome[]>();
  for (const m of models) {
    if (m.group === undefined) continue;
    let g = groups.get(m.group);
    if (!g) groups.set(m.group, (g = []));
    g.push(m);
  }
  let counted = 0;
  const names: string[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    counted += g.length;
    const failed = g.filter(learnedNothing);
    if (failed.length < g.length) names.push(...failed.map((m) => m.name));
  }
  return { models: counted, collapsed: names.length, rate: counted === 0 ? null : names.length / counted, names: names.sort(compareStrings) };
}
