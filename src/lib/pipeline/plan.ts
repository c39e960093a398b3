/**
 * The plan: an experiment as a list of jobs with stable ids and dependencies, in an order that
 * respects them (docs/DESIGN.md "Pipeline"):
 *
 *   single/<task>/<setting>      train BERT→task, evaluate on validation and test; run record + model
 *   best/<task>                  pick the best setting on validation F1, its best seed; delete the other models
 *   conductance/<task>           conductance of the best model on the explained documents
 *   features                     pair features: F1, 42 ANSAT values, baselines, LogME (unless logmeDocs 0)
 *   transfer/<src>/<tgt>/<set>   train BERT→src→tgt from the best M_src; run record
 *   regressor/<feature set>      leave-one-target-out boosted trees, and one on all rows; XGBoost JSON each
 *   analysis                     Table 1, RMSE@K, Runtime@K, the headline
 *
 * With `seeds` S > 1 every training job is planned S times: seed index 0 keeps the id above (so a
 * one-seed experiment has the ids it always had), index k ≥ 1 adds `/seed-k`. Each job's seed is
 * `jobSeed(spec seed, id)`, and the id holds the seed index: never the order jobs run in.
 *
 * The plan is a pure function of the spec and the kept tasks, so a resumed run recomputes it and
 * finds each job's state under the same id. Task names are URI-encoded inside ids ("/" separates).
 */
import { createRng, shuffleInPlace } from '../util/rng';
import { expandGrid, settingKey, type GridSetting } from './grids';
import { choiceSeed, jobSeed } from './seeds';
import { needsConductance, type ExperimentSpec } from './spec';
import type { Job, JobKind, JobPlan } from './types';

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

const enc = (task: string) => encodeURIComponent(task);

/** The suffix of seed index k's job ids (none for index 0). */
const seedSuffix = (seedIndex = 0) => (seedIndex === 0 ? '' : `/seed-${seedIndex}`);

/** The id of a training job's setting, the same for all its seeds (its id without the seed suffix). */
export function settingIdOf(job: { id: string; seedIndex?: number }): string {
  const suffix = seedSuffix(job.seedIndex);
  return suffix && job.id.endsWith(suffix) ? job.id.slice(0, -suffix.length) : job.id;
}

export const jobIds = {
  single: (task: string, s: GridSetting, seedIndex = 0) => `single/${enc(task)}/${settingKey(s)}${seedSuffix(seedIndex)}`,
  best: (task: string) => `best/${enc(task)}`,
  conductance: (task: string) => `conductance/${enc(task)}`,
  features: () => 'features',
  transfer: (source: string, target: string, s: GridSetting, seedIndex = 0) => `transfer/${enc(source)}/${enc(target)}/${settingKey(s)}${seedSuffix(seedIndex)}`,
  regressor: (featureSet: string) => `regressor/${enc(featureSet)}`,
  analysis: () => 'analysis',
};

const describeSetting = (s: GridSetting, seedIndex = 0, seeds = 1) =>
  `lr ${s.lr}, ${s.epochs} epoch${s.epochs === 1 ? '' : 's'}, batch ${s.batch}${seeds > 1 ? `, seed ${seedIndex + 1} of ${seeds}` : ''}`;
const seedIndices = (spec: ExperimentSpec) => Array.from({ length: spec.seeds }, (_, k) => k);

/** All ordered pairs, sources in task order, then targets in task order. */
export function allPairs(tasks: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const s of tasks) for (const t of tasks) if (s !== t) out.push([s, t]);
  return out;
}

/** The transfer pairs the spec asks for, among the kept tasks (in `allPairs` order). */
export function selectPairs(spec: ExperimentSpec, tasks: readonly string[]): { pairs: [string, string][]; notes: string[] } {
  const every = allPairs(tasks);
  const notes: string[] = [];
  const p = spec.pairs;
  if (p.kind === 'all') return { pairs: every, notes };
  if (p.kind === 'sample') {
    if (p.count >= every.length) {
      if (p.count > every.length) notes.push(`Asked for ${p.count} pairs; ${tasks.length} tasks have only ${every.length} ordered pairs: all are used.`);
      return { pairs: every, notes };
    }
    const index = new Map(every.map((pair, i) => [JSON.stringify(pair), i]));
    const chosen = shuffleInPlace([...every], createRng(choiceSeed(spec.seed, 'pairs'))).slice(0, p.count);
    chosen.sort((a, b) => index.get(JSON.stringify(a))! - index.get(JSON.stringify(b))!);
    notes.push(`${p.count} of ${every.length} ordered pairs, a seeded sample (seed ${spec.seed}).`);
    return { pairs: chosen, notes };
  }
  const kept = new Set(tasks);
  const listed = new Set(p.pairs.map((pair) => JSON.stringify(pair)));
  for (const [s, t] of p.pairs) {
    const missing = [s, t].filter((x) => !kept.has(x));
    if (missing.length) notes.push(`Pair ${s} → ${t} left out: ${missing.map((m) => `"${m}"`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not among the kept tasks.`);
  }
  return { pairs: every.filter((pair) => listed.has(JSON.stringify(pair))), notes };
}

export function planJobs(spec: ExperimentSpec, tasks: readonly string[]): JobPlan {
  if (tasks.length < 2) throw new PlanError(`a plan needs at least two tasks, got ${tasks.length}`);
  const { pairs, notes } = selectPairs(spec, tasks);
  if (pairs.length === 0) throw new PlanError(`no transfer pairs are left among the kept tasks (${tasks.join(', ')}); ${notes.join(' ')}`);
  const targets = new Set(pairs.map(([, t]) => t));
  if (targets.size < 2) {
    throw new PlanError(
      `every transfer pair has target "${[...targets][0]}"; leave-one-target-out needs pairs into at least two targets (choose more pairs)`,
    );
  }
  const singleGrid = expandGrid(spec.grids.single);
  const transferGrid = expandGrid(spec.grids.transfer);
  const conductance = needsConductance(spec);
  const jobs: Job[] = [];

  const seeds = seedIndices(spec);
  for (const task of tasks) {
    for (const setting of singleGrid) {
      for (const seedIndex of seeds) {
        const id = jobIds.single(task, setting, seedIndex);
        const model = `${task} (${describeSetting(setting, seedIndex, spec.seeds)})`;
        jobs.push({ id, kind: 'single', label: `train ${model}`, model, deps: [], task, setting, seedIndex, seed: jobSeed(spec.seed, id) });
      }
    }
  }
  for (const task of tasks) {
    jobs.push({ id: jobIds.best(task), kind: 'best', label: `best model of ${task}`, deps: singleGrid.flatMap((s) => seeds.map((k) => jobIds.single(task, s, k))), task });
  }
  if (conductance) {
    for (const task of tasks) {
      jobs.push({ id: jobIds.conductance(task), kind: 'conductance', label: `conductance of the best ${task} model`, deps: [jobIds.best(task)], task });
    }
  }
  jobs.push({
    id: jobIds.features(),
    kind: 'features',
    label: spec.logmeDocs > 0 ? 'pair features (F1, ANSAT, baselines, LogME)' : 'pair features (F1, ANSAT, baselines)',
    deps: [...tasks.map(jobIds.best), ...(conductance ? tasks.map(jobIds.conductance) : [])],
  });
  const transferIds: string[] = [];
  for (const [source, target] of pairs) {
    for (const setting of transferGrid) {
      for (const seedIndex of seeds) {
        const id = jobIds.transfer(source, target, setting, seedIndex);
        transferIds.push(id);
        const model = `${source} → ${target} (${describeSetting(setting, seedIndex, spec.seeds)})`;
        jobs.push({
          id, kind: 'transfer', label: `train ${model}`, model, deps: [jobIds.best(source)],
          source, target, setting, seedIndex, seed: jobSeed(spec.seed, id),
        });
      }
    }
  }
  for (const featureSet of spec.featureSets) {
    jobs.push({ id: jobIds.regressor(featureSet), kind: 'regressor', label: `regressors for ${featureSet} (leave one target out, and on all rows)`, deps: [jobIds.features(), ...transferIds], featureSet });
  }
  jobs.push({ id: jobIds.analysis(), kind: 'analysis', label: 'analysis (Table 1, RMSE@K, Runtime@K, headline)', deps: spec.featureSets.map(jobIds.regressor) });
  return { tasks: [...tasks], pairs, jobs, notes };
}

/** Number of jobs of each kind. */
export function countJobs(plan: JobPlan): Record<JobKind, number> {
  const counts: Record<JobKind, number> = { single: 0, best: 0, conductance: 0, features: 0, transfer: 0, regressor: 0, analysis: 0 };
  for (const j of plan.jobs) counts[j.kind]++;
  return counts;
}
