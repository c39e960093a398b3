/**
 * Warnings instead of findings: the conditions under which an experiment's numbers say nothing
 * about transfer, computed from the runs and the analysis so that summary.json and the Search view
 * show them above the headline (and do not present the headline as a finding while any holds).
 * Measured on real runs: F1 0 on 7 of 9 TREC-IS tasks under an "85.6 % saved" headline, models
 * that call everything positive (accuracy 0.089), tasks with a handful of test positives.
 *
 * Kinds, in the order they are listed:
 * - `no-model-learned`: every model of a task (single-task and transfer into it) has F1 0;
 * - `mostly-positive`: models that predict the positive class for ≥ 95 % of the test documents;
 * - `few-test-positives`: a task with fewer than 10 test positives (one document moves F1 by
 *   ≥ 0.05 there, as much as the gains being compared);
 * - `collapsed-seeds`: 5 % or more of the models collapsed (F1 0 or mostly positive while another
 *   seed of the same setting learned; collapse-rate.ts): training was unstable;
 * - `order-like-random`: a search order whose saving is not distinguishable from the random
 *   order's (the bootstrap interval over targets of the difference includes 0).
 * Within a kind, tasks are in name order (code units), orders in the order given.
 */
import { compareStrings } from './candidates';
import type { OrderVsRandom } from '../stats/order-vs-random';
import { MOSTLY_POSITIVE_FRACTION, predictsMostlyPositive, type ModelOutcome } from './model-outcome';
import { MAX_COLLAPSE_RATE, type CollapseRate } from './collapse-rate';

export const MIN_TEST_POSITIVES = 10;

export type WarningKind = 'no-model-learned' | 'mostly-positive' | 'few-test-positives' | 'collapsed-seeds' | 'order-like-random';

export interface Warning {
  kind: WarningKind;
  /** The task it is about; null for a warning about a search order. */
  task: string | null;
  message: string;
}

export interface WarningsInput {
  /** Every single-task and transfer model of the experiment. */
  models: readonly ModelOutcome[];
  /**
   * Positives in each task's test split. Default: tp + fn of the task's models (every model of a
   * task is scored on the same test documents); a task named here but without models is checked too.
   */
  testPositives?: Readonly<Record<string, number>>;
  /** The experiment's collapse rate (collapse-rate.ts), when it was measured. */
  collapse?: CollapseRate;
  /** `orderVsRandom` of each predicted order, by its name (e.g. "predicted:F1+ANSAT"). */
  orders?: readonly { order: string; vsRandom: OrderVsRandom }[];
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const listed = (names: string[], max = 3) => names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');

export function experimentWarnings(input: WarningsInput): Warning[] {
  const byTask = new Map<string, ModelOutcome[]>();
  for (const m of input.models) {
    for (const f of ['f1', 'tp', 'fp', 'fn', 'tn'] as const) {
      if (!Number.isFinite(m[f]) || m[f] < 0) throw new Error(`experimentWarnings: model "${m.name}": ${f} is ${m[f]}, expected a finite number ≥ 0`);
    }
    let list = byTask.get(m.task);
    if (!list) byTask.set(m.task, (list = []));
    list.push(m);
  }
  const tasks = [...new Set([...byTask.keys(), ...Object.keys(input.testPositives ?? {})])].sort(compareStrings);
  const out: Warning[] = [];

  for (const task of tasks) {
    const models = byTask.get(task) ?? [];
    if (models.length > 0 && models.every((m) => m.f1 === 0)) {
      out.push({
        kind: 'no-model-learned', task,
        message: `Every model of task "${task}" (${models.length}) has F1 0 on its test documents: nothing was learned, so its transfer "gains" and losses are not findings.`,
      });
    }
  }
  for (const task of tasks) {
    const models = byTask.get(task) ?? [];
    const positive = models.filter(predictsMostlyPositive);
    if (positive.length > 0) {
      out.push({
        kind: 'mostly-positive', task,
        message:
          `${positive.length} of ${models.length} models of task "${task}" predict the positive class for ≥ ${pct(MOSTLY_POSITIVE_FRACTION)} of the test documents ` +
          `(${listed(positive.map((m) => m.name))}): their F1 reflects the share of positives, not a learned classifier.`,
      });
    }
  }
  for (const task of tasks) {
    const given = input.testPositives?.[task];
    const models = byTask.get(task) ?? [];
    const positives = given ?? Math.max(...models.map((m) => m.tp + m.fn));
    if (positives < MIN_TEST_POSITIVES) {
      out.push({
        kind: 'few-test-positives', task,
        message: `Task "${task}" has ${positives} test positive${positives === 1 ? '' : 's'} (fewer than ${MIN_TEST_POSITIVES}): one document moves its F1 by a large step, so its F1 differences are noise.`,
      });
    }
  }
  const c = input.collapse;
  if (c && c.rate !== null && c.rate >= MAX_COLLAPSE_RATE) {
    out.push({
      kind: 'collapsed-seeds', task: null,
      message:
        `${c.collapsed} of ${c.models} models (${pct(c.rate)}; the goal is below ${pct(MAX_COLLAPSE_RATE)}) learned nothing (F1 0 or mostly positive) while another seed of the same setting learned ` +
        `(${listed(c.names)}): training is unstable, so a difference between two single runs is noise.`,
    });
  }
  for (const { order, vsRandom: r } of input.orders ?? []) {
    if (r.distinguishable) continue;
    const iv = (x: { estimate: number; low: number; high: number }) => `${pct(x.estimate)} [${pct(x.low)}, ${pct(x.high)}]`;
    out.push({
      kind: 'order-like-random', task: null,
      message:
        `The order "${order}" saves ${iv(r.order)} of the transfer time against the random order's ${iv(r.random)}; ` +
        `the difference ${iv(r.difference)} (${pct(r.difference.confidence)} bootstrap over ${r.targets} targets) includes 0: not distinguishable from random.`,
    });
  }
  return out;
}
