/**
 * `recommend`: which source to train before a target task, without training every pair (issue 15,
 * items 1–2). The experiment pipeline in the same folder and store as `experiment` (same id, same
 * lock, resumable): it runs the single-task models, conductance and the pair features of every
 * planned pair, then the transfers into each target in the order of the recommend loop
 * (src/lib/search/recommend-loop.ts), refitting after each measured source, until the budget is
 * spent or no untrained source has a 5 % chance of beating the best so far. The same --out can
 * later be completed by `experiment` with the same settings.
 *
 * Rows the loop learns from besides the target's own measured transfers: transfers measured in this
 * store into targets not given now or given before this one (so that running the same command
 * again sees the same rows and trains nothing new), and the `--prior` experiment folders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { IMPORT_FORMATS } from '../../lib/data/import';
import type { ImportFormat } from '../../lib/data/schema';
import { gbdtRegressor } from '../../lib/gbdt/regressor';
import type { GbdtParams } from '../../lib/gbdt/params';
import { wallClock, workClock } from '../../lib/pipeline/clock';
import { ExperimentMismatchError, experimentPlanOf, type OpenedExperiment } from '../../lib/pipeline/experiment';
import { recordIds } from '../../lib/pipeline/ids';
import { PipelineJobError, runExperiment, type ProgressEvent } from '../../lib/pipeline/runner';
import { featureSetsOf } from '../../lib/pipeline/spec';
import { flagUsage, SPEC_FLAGS, specInputFromFlags } from '../../lib/pipeline/spec-flags';
import { EXPERIMENT_PRESETS, LABEL_MERGES } from '../../lib/pipeline/spec-options';
import { OptionValueError } from '../../lib/pipeline/spec-text';
import type { ExperimentSpecInput } from '../../lib/pipeline/spec-types';
import { loadPairFeatures, trainSettingsOf } from '../../lib/pipeline/stored-results';
import { rerunAdvice } from '../../lib/pipeline/rerun-job';
import type { PipelineEnv, TransferJob } from '../../lib/pipeline/types';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { F1_TARGET } from '../../lib/search/feature-names';
import { budgetOfFraction, recommendLoop, type PairRow, type RecommendCandidate, type RecommendStep } from '../../lib/search/recommend-loop';
import { readReplayData, RunGroup } from '../../lib/search/replay-input';
import { openFolderStore } from '../../lib/store/folder.node.js';
import { subSeed } from '../../lib/util/rng';
import { describeFsError } from '../../lib/util/fs-errors';
import { CliError, parseArgs } from '../args';
import { lockExperiment } from '../experiment-lock';
import { cliEnv, createCliExperiment, defaultModelDir, EXPERIMENT_ID, progressPrinter, storeInputDataset } from './experiment';

const PRESETS = Object.keys(EXPERIMENT_PRESETS);

export const usage = `usage: npm run cli -- recommend --data PATH|demo [--format ${[...IMPORT_FORMATS, 'demo'].join('|')}] [--preset ${PRESETS.join('|')}]
       --target T[,T2…] (--budget N | --budget-fraction F) [--prior DIR …] --out DIR
       [--model DIR] [--merge ${LABEL_MERGES.join('|')}] [--spec FILE.json] [--deterministic-clock] [experiment options below]
  Recommends a source task to train before each target: trains the single-task models, conductance and
  the pair features of every candidate source (the experiment pipeline, into DIR/store, resumable, the
  same lock), then trains transfers into the target one source at a time (a source = its whole
  transfer grid) in the order of the regressor's expected improvement, refitting a bootstrap ensemble
  of the boosted trees after each, until the budget is spent or no untrained source's upper 90 %
  interval end beats the best so far (the best measured transfer, or the target's own single-task F1).
  --target T[,T2…]        target task(s), in this order; a later target learns from the earlier ones
  --budget N              at most N sources trained into each target (those trained before count)
  --budget-fraction F     at most ceil(F × candidates) sources per target, F in (0, 1]
  --prior DIR             an experiment output folder (runs.csv, features.csv, summary.json): its
                          transfers are rows for the regressor from the start (repeatable). Its
                          rows into a task named like the target are not used.
  --preset P              a named partial spec under the --spec file and the flags (${PRESETS.join(', ')})
  Same command and DIR again: continues; finished trainings are never redone; the same command after a
  finished run trains nothing new. \`experiment\` with the same settings on DIR completes every pair.
  Prints one JSON object per target (an array for several): {"target","ranking":[{"source",
  "predicted_f1","interval":[lo,hi],"measured_f1"}],"trained","best":{"source","f1","interval"},
  "cost":{"singles_ms","conductance_ms","transfers_ms","exhaustive_estimate_ms"},"rows_used":{…}}, plus
  "trained_now" (by this call), "stop" (budget | all-trained | no-chance), "single_task_f1",
  "beats_single_task". measured_f1 is null where untrained; interval: 90 % predictive interval (a
  bootstrap ensemble with out-of-bag residuals; [0, 1] while fewer than 4 rows). transfers_ms: the
  transfers into the target; exhaustive_estimate_ms: singles + conductance + the mean measured pair
  cost × every planned pair (what \`experiment\` would spend); cost.clock "work" = work units.
  rows_used: what the last fit rests on (the target's measured transfers, this store's other
  targets, each prior's rows; rows into a prior task named like the target are dropped).
  Experiment options (src/lib/pipeline/spec-options.ts):
${flagUsage()}`;

const KNOWN = ['data', 'format', 'model', 'out', 'merge', 'spec', 'demo-name', 'backend', 'preset', 'target', 'budget', 'budget-fraction', 'prior', ...SPEC_FLAGS.values];
const SWITCHES = ['deterministic-clock', ...SPEC_FLAGS.switches];

type Budget = { kind: 'count'; n: number } | { kind: 'fraction'; f: number };

function parseBudget(args: ReturnType<typeof parseArgs>): Budget {
  const hasN = args.has('budget');
  const hasF = args.has('budget-fraction');
  if (hasN === hasF) throw new CliError('give exactly one of --budget N (sources per target) and --budget-fraction F');
  if (hasN) {
    const n = args.int('budget');
    if (n < 1) throw new CliError(`--budget must be an integer ≥ 1 (sources trained per target), got "${args.get('budget')}"`);
    return { kind: 'count', n };
  }
  const f = args.number('budget-fraction');
  if (!(f > 0 && f <= 1)) throw new CliError(`--budget-fraction must be a fraction in (0, 1], got "${args.get('budget-fraction')}"`);
  return { kind: 'fraction', f };
}

function parseTargets(value: string): string[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new CliError(`--target: an empty task name in "${value}"`);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new CliError(`--target: "${dup}" is listed twice`);
  return names;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` laid over `under`, objects merged key by key. */
function layered(under: unknown, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = isPlainObject(under) ? structuredClone(under) : {};
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? layered(out[k], v) : v;
  return out;
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`${flag}: ${describeFsError(e, file) ?? (e as Error).message}`);
  }
}

interface Prior {
  dir: string;
  rows: PairRow[];
  featureNames: string[];
  modelFingerprint: string | null;
  modelDescription: string | null;
}

function readPrior(dir: string): Prior {
  if (!existsSync(dir)) throw new CliError(`--prior: no such folder ${dir}`);
  const summaryPath = path.join(dir, 'summary.json');
  const summaryJson = existsSync(summaryPath) ? readText(summaryPath, '--prior') : undefined;
  let data;
  try {
    data = readReplayData({
      runsCsv: readText(path.join(dir, 'runs.csv'), '--prior'),
      featuresCsv: readText(path.join(dir, 'features.csv'), '--prior'),
      summaryJson,
      names: { runs: path.join(dir, 'runs.csv'), features: path.join(dir, 'features.csv'), summary: summaryPath },
    });
  } catch (e) {
    throw new CliError(`--prior ${dir}: ${(e as Error).message}`);
  }
  const model = summaryJson ? (JSON.parse(summaryJson) as { model?: { fingerprint?: string; description?: string } }).model : undefined;
  const origin = `prior ${dir}`;
  return {
    dir,
    featureNames: data.featureNames,
    modelFingerprint: model?.fingerprint ?? null,
    modelDescription: model?.description ?? null,
    rows: data.targets.flatMap((t) => t.candidates.map((c) => ({ source: c.source, target: t.target, features: c.features, value: c.value, origin }))),
  };
}

/** A pair measured in the store: every transfer job of the pair done. */
interface StoredPair {
  source: string;
  target: string;
  value: number;
  costMs: number;
  /** When its last job finished (ISO time): orders the sources trained before, as they were trained. */
  finishedAt: string;
}

async function measuredPairs(env: PipelineEnv, opened: OpenedExperiment): Promise<StoredPair[]> {
  const record = (await env.store.experiments.get(EXPERIMENT_ID))!;
  const byPair = new Map<string, TransferJob[]>();
  for (const j of opened.jobs.jobs) {
    if (j.kind !== 'transfer') continue;
    const key = JSON.stringify([j.source, j.target]);
    byPair.set(key, [...(byPair.get(key) ?? []), j]);
  }
  const out: StoredPair[] = [];
  for (const jobs of byPair.values()) {
    if (!jobs.every((j) => record.jobs[j.id]?.status === 'done')) continue;
    const group = new RunGroup();
    for (const j of jobs) {
      const run = await env.store.runs.get(recordIds.run(EXPERIMENT_ID, j.id));
      if (!run) throw new Error(`the run of job "${j.id}" is missing from the store (${env.store.location}); run the same command with experiment --rerun ${j.id}`);
      const s = trainSettingsOf(run);
      group.add(`${s.lr}|${s.epochs}|${s.batch}`, run.metrics.f1, run.wallTimeMs, 0);
    }
    const finishedAt = jobs.map((j) => record.jobs[j.id]!.finishedAt ?? '').sort().at(-1)!;
    out.push({ source: jobs[0]!.source, target: jobs[0]!.target, value: group.value(), costMs: group.costMs, finishedAt });
  }
  return out;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, KNOWN, SWITCHES);
  const data = args.required('data');
  const out = path.resolve(args.required('out'));
  const targets = parseTargets(args.required('target'));
  const budget = parseBudget(args);
  const format = (args.get('format') ?? (data === 'demo' ? 'demo' : undefined)) as ImportFormat | 'demo' | undefined;
  if (format === undefined) throw new CliError(`--format is required for --data ${data}: one of ${[...IMPORT_FORMATS, 'demo'].join(', ')}`);
  if (format !== 'demo' && !IMPORT_FORMATS.includes(format)) throw new CliError(`--format must be one of ${[...IMPORT_FORMATS, 'demo'].join(', ')}, got "${format}"`);
  const merge = args.get('merge') as (typeof LABEL_MERGES)[number] | undefined;
  if (merge !== undefined && !LABEL_MERGES.includes(merge)) throw new CliError(`--merge must be one of ${LABEL_MERGES.join(', ')}, got "${merge}"`);
  if (merge !== undefined && format !== 'trecis') throw new CliError('--merge applies to --format trecis only');
  const presetName = args.get('preset');
  if (presetName !== undefined && !PRESETS.includes(presetName)) throw new CliError(`--preset must be one of ${PRESETS.join(', ')}, got "${presetName}"`);
  const priors = args.all('prior').map((d) => readPrior(path.resolve(d)));
  const deterministic = args.has('deterministic-clock');

  let fileSpec: Record<string, unknown> = {};
  const specFile = args.get('spec');
  if (specFile !== undefined) {
    try {
      fileSpec = JSON.parse(readText(specFile, '--spec')) as Record<string, unknown>;
    } catch (e) {
      throw e instanceof CliError ? e : new CliError(`--spec ${specFile}: ${(e as Error).message}`);
    }
    if (!isPlainObject(fileSpec)) throw new CliError(`--spec ${specFile}: expected a JSON object`);
  }
  const base = presetName === undefined ? fileSpec : layered(EXPERIMENT_PRESETS[presetName as keyof typeof EXPERIMENT_PRESETS], fileSpec);
  let spec: ExperimentSpecInput;
  try {
    spec = specInputFromFlags(args, base as ExperimentSpecInput);
  } catch (e) {
    if (e instanceof OptionValueError) throw new CliError(e.message);
    throw e;
  }
  spec.model = { kind: 'folder', path: path.resolve(args.get('model') ?? (await defaultModelDir())) };

  const backend = await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  await mkdir(out, { recursive: true });
  const say = (line: string) => process.stderr.write(line + '\n');
  const unlock = await lockExperiment(out, say);
  let store;
  try {
    store = await openFolderStore(path.join(out, 'store'));
  } catch (e) {
    await unlock();
    throw e;
  }
  try {
    spec.dataset = await storeInputDataset(store, { data, format, merge, demoName: args.get('demo-name'), out }, say);
    const env = cliEnv(store);
    const opened = await createCliExperiment(env, spec, out);
    const plan = opened.plan;
    const kept = plan.tasks.kept;
    for (const t of targets) {
      if (kept.includes(t)) continue;
      const excluded = plan.tasks.excluded.find((x) => x.task === t);
      if (excluded) throw new CliError(`--target ${t}: refused: ${excluded.reason}`);
      const left = plan.tasks.excluded.map((x) => x.task);
      throw new CliError(`--target ${t}: the data has no task "${t}"; its tasks: ${kept.join(', ')}${left.length ? ` (left out: ${left.join(', ')})` : ''}`);
    }
    const candidatesOf = (t: string) => opened.jobs.pairs.filter(([, tgt]) => tgt === t).map(([s]) => s);
    for (const t of targets) if (candidatesOf(t).length === 0) throw new CliError(`--target ${t}: no planned transfer pair has this target (see --pairs)`);
    say(`backend ${backend.name}; model ${plan.model.description}; tasks: ${kept.join(', ')}; targets: ${targets.join(', ')}`);

    const clock = deterministic ? workClock() : wallClock();
    const controller = new AbortController();
    const onSigint = () => {
      say('interrupt: pausing after the current step…');
      controller.abort(new DOMException('paused by the user', 'AbortError'));
    };
    process.once('SIGINT', onSigint);
    // The job lines of `experiment` ([done/total] counts the whole plan); not its run lines, which
    // would call every run of a few jobs "paused".
    const printer = progressPrinter(deterministic);
    const onProgress = (e: ProgressEvent) => {
      if (e.type === 'run-start' || e.type === 'run-done' || (e.type === 'run-paused' && !controller.signal.aborted)) return;
      printer(e);
    };
    const runJobs = async (only: Set<string>) => {
      try {
        return await runExperiment(env, EXPERIMENT_ID, { clock, signal: controller.signal, onProgress, only });
      } catch (e) {
        if (e instanceof PipelineJobError) throw new Error(`${e.message}\n${rerunAdvice(e)}`);
        if (e instanceof ExperimentMismatchError) throw new CliError(`${out}: ${e.message}`);
        throw e;
      }
    };
    try {
      // Step 1: everything a prediction needs before the first transfer.
      const prerequisites = new Set(opened.jobs.jobs.filter((j) => j.kind === 'single' || j.kind === 'best' || j.kind === 'conductance' || j.kind === 'features').map((j) => j.id));
      const first = await runJobs(prerequisites);
      if (controller.signal.aborted) return { status: 'paused', out, done: first.done, total: first.total };

      const features = await loadPairFeatures(store, EXPERIMENT_ID, opened.jobs);
      const featuresOf = (s: string, t: string) => features.get(recordIds.features(EXPERIMENT_ID, s, t))!.values;
      const wanted = new Set(featureSetsOf(plan.spec).flatMap((fs) => fs.features));
      const stored = Object.keys(featuresOf(...opened.jobs.pairs[0]!));
      let featureNames = stored.filter((f) => wanted.has(f));
      const warnings: string[] = [];
      for (const p of priors) {
        const shared = featureNames.filter((f) => p.featureNames.includes(f));
        if (shared.length === 0) throw new CliError(`--prior ${p.dir}: refused: it shares no pair feature with this run (it has ${p.featureNames.join(', ') || 'none'}; this run uses ${featureNames.join(', ')})`);
        if (shared.length < featureNames.length) {
          const dropped = featureNames.filter((f) => !shared.includes(f));
          warnings.push(`prior ${p.dir} lacks ${dropped.length} feature(s) of this run (${dropped.slice(0, 6).join(', ')}${dropped.length > 6 ? ', …' : ''}): the regressor uses only the ${shared.length} shared ones`);
          featureNames = shared;
        }
        if (p.modelFingerprint === null) {
          warnings.push(`prior ${p.dir} has no summary.json: its base model is unknown; used, since its rows pair features measured with its own models with the F1 they gave`);
        } else if (p.modelFingerprint !== plan.model.fingerprint) {
          warnings.push(
            `prior ${p.dir} was made with another base model (${p.modelDescription ?? '?'}, fingerprint ${p.modelFingerprint}; this run: ${plan.model.fingerprint}): ` +
              'used, because each of its rows pairs the features measured with its own models (f1_source, f1_target, ANSAT fractions) with the F1 they gave, ' +
              'so the regressor learns transfer F1 relative to those features; its level may still differ, which the intervals do not show',
          );
        }
      }
      for (const w of warnings) say(`warning: ${w}`);
      const priorRows = priors.flatMap((p) => p.rows);
      const fit = gbdtRegressor(plan.spec.regressor.params as Partial<GbdtParams>);

      const results = [];
      for (const [i, target] of targets.entries()) {
        const later = new Set(targets.slice(i));
        const pairsNow = await measuredPairs(env, opened);
        const context: PairRow[] = [
          ...pairsNow.filter((p) => !later.has(p.target)).map((p) => ({ source: p.source, target: p.target, features: featuresOf(p.source, p.target), value: p.value, origin: 'this run' })),
          ...priorRows,
        ];
        const sources = candidatesOf(target);
        const candidates: RecommendCandidate[] = sources.map((s) => ({ source: s, features: featuresOf(s, target) }));
        const before = new Map(
          pairsNow.filter((p) => p.target === target).sort((a, b) => (a.finishedAt < b.finishedAt ? -1 : a.finishedAt > b.finishedAt ? 1 : 0)).map((p) => [p.source, p.value]),
        );
        const n = budget.kind === 'count' ? Math.min(budget.n, sources.length) : budgetOfFraction(budget.f, sources.length);
        const singleTaskF1 = candidates[0]!.features[F1_TARGET] ?? null;
        say(`recommend ${target}: ${sources.length} candidate sources, budget ${n}; ${before.size} measured before; ${context.length} context rows; target's own F1 ${singleTaskF1 === null ? '?' : singleTaskF1.toFixed(3)}`);
        const measure = async (source: string) => {
          const only = new Set(opened.jobs.jobs.filter((j) => j.kind === 'transfer' && j.source === source && j.target === target).map((j) => j.id));
          const outcome = await runJobs(only);
          if (controller.signal.aborted) throw new DOMException('paused by the user', 'AbortError');
          const pair = (await measuredPairs(env, opened)).find((p) => p.source === source && p.target === target);
          if (!pair) throw new Error(`recommend: the transfer ${source} → ${target} did not finish (${outcome.status})`);
          return pair.value;
        };
        const onStep = (s: RecommendStep) => {
          if (s.next !== null) say(`recommend ${target}: next ${s.next} (basis ${s.basis}; best so far ${Number.isFinite(s.bestSoFar) ? s.bestSoFar.toFixed(3) : 'none'})`);
          else say(`recommend ${target}: stop (${s.stop})`);
        };
        let outcome;
        try {
          outcome = await recommendLoop(
            { target, candidates, context, featureNames, budget: n, singleTaskF1 },
            before,
            measure,
            { fit, seed: subSeed(plan.spec.seed, `recommend/${target}`) },
            onStep,
          );
        } catch (e) {
          if (controller.signal.aborted) return { status: 'paused', out, target };
          throw e;
        }
        results.push(await report(env, opened, target, outcome, before, n, priors, warnings, featureNames, singleTaskF1));
      }
      return results.length === 1 ? results[0] : results;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } finally {
    await store.close();
    await unlock();
  }
}

async function report(
  env: PipelineEnv,
  opened: OpenedExperiment,
  target: string,
  outcome: Awaited<ReturnType<typeof recommendLoop>>,
  before: ReadonlyMap<string, number>,
  budget: number,
  priors: readonly Prior[],
  warnings: readonly string[],
  featureNames: readonly string[],
  singleTaskF1: number | null,
) {
  const record = (await env.store.experiments.get(EXPERIMENT_ID))!;
  const step = outcome.final;
  const pairs = await measuredPairs(env, opened);
  let singlesMs = 0;
  for (const j of opened.jobs.jobs) {
    if (j.kind !== 'single') continue;
    const run = await env.store.runs.get(recordIds.run(EXPERIMENT_ID, j.id));
    singlesMs += run?.wallTimeMs ?? 0;
  }
  const conductanceMs = opened.jobs.jobs.filter((j) => j.kind === 'conductance').reduce((s, j) => s + (record.jobs[j.id]?.elapsedMs ?? 0), 0);
  const intoTarget = pairs.filter((p) => p.target === target);
  const meanPairMs = pairs.length ? pairs.reduce((s, p) => s + p.costMs, 0) / pairs.length : 0;
  const interval = (r: { interval: [number, number] }) => [round(r.interval[0]), round(r.interval[1])];
  const measured = step.ranking.filter((r) => r.measured_f1 !== null).sort((a, b) => b.measured_f1! - a.measured_f1!)[0];
  const top = measured ?? step.ranking[0]!;
  return {
    target,
    ranking: step.ranking.map((r) => ({
      source: r.source, predicted_f1: r.predicted_f1 === null ? null : round(r.predicted_f1), interval: interval(r), measured_f1: r.measured_f1 === null ? null : round(r.measured_f1),
    })),
    trained: [...before.keys(), ...outcome.trainedNow],
    trained_now: outcome.trainedNow,
    stop: step.stop,
    budget,
    best: { source: top.source, f1: round(top.measured_f1 ?? top.predicted_f1 ?? NaN), measured: measured !== undefined, interval: interval(top) },
    // Whether the best measured transfer beats the target's own single-task model at all (mind the
    // seed noise of about ±0.05 F1 before calling a small difference a gain).
    beats_single_task: measured === undefined || singleTaskF1 === null ? null : measured.measured_f1! > singleTaskF1,
    single_task_f1: singleTaskF1 === null ? null : round(singleTaskF1),
    cost: {
      // "work": the deterministic clock's work units instead of milliseconds (clock.ts).
      clock: experimentPlanOf(record).clock ?? 'wall',
      singles_ms: Math.round(singlesMs),
      conductance_ms: Math.round(conductanceMs),
      transfers_ms: Math.round(intoTarget.reduce((s, p) => s + p.costMs, 0)),
      exhaustive_estimate_ms: Math.round(singlesMs + conductanceMs + meanPairMs * opened.jobs.pairs.length),
      exhaustive_pairs: opened.jobs.pairs.length,
    },
    rows_used: {
      basis: step.basis,
      target_measured: step.rowsUsed.target,
      this_run_other_targets: step.rowsUsed.context['this run'] ?? 0,
      priors: Object.fromEntries(priors.map((p) => [p.dir, step.rowsUsed.context[`prior ${p.dir}`] ?? 0])),
      dropped_rows_into_target: step.rowsUsed.droppedSameTarget,
      interval_informative: step.intervalInformative,
      features: featureNames.length,
      warnings,
    },
  };
}
