/**
 * `recommend`: which source to train before a target task, without training every pair (issue 15,
 * items 1–2): the command line around src/lib/pipeline/recommend-run.ts, which the app's worker
 * shares. The experiment pipeline in the same folder and store as `experiment` (same id, same
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
import { wallClock, workClock } from '../../lib/pipeline/clock';
import { ExperimentMismatchError } from '../../lib/pipeline/experiment';
import { checkTargets, RecommendInputError, runRecommend, type RecommendBudget, type RecommendPrior } from '../../lib/pipeline/recommend-run';
import { priorFromFiles } from '../../lib/pipeline/recommend-prior';
import { PipelineJobError, type ProgressEvent } from '../../lib/pipeline/runner';
import { flagUsage, SPEC_FLAGS, specInputFromFlags } from '../../lib/pipeline/spec-flags';
import { EXPERIMENT_PRESETS, LABEL_MERGES } from '../../lib/pipeline/spec-options';
import { OptionValueError } from '../../lib/pipeline/spec-text';
import type { ExperimentSpecInput } from '../../lib/pipeline/spec-types';
import { rerunAdvice } from '../../lib/pipeline/rerun-job';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { openFolderStore } from '../../lib/store/folder.node.js';
import { describeFsError } from '../../lib/util/fs-errors';
import { CliError, parseArgs } from '../args';
import { lockExperiment } from '../experiment-lock';
import { cliEnv, createCliExperiment, defaultModelDir, EXPERIMENT_ID, lanesOf, progressPrinter, storeInputDataset } from './experiment';
import { LANES_FLAG, LANES_USAGE } from '../../lib/pipeline/lanes';
import { workerExecutor } from '../../lib/pipeline/worker-executor.node.js';

const PRESETS = Object.keys(EXPERIMENT_PRESETS);

export const usage = `usage: npm run cli -- recommend --data PATH|demo [--format ${[...IMPORT_FORMATS, 'demo'].join('|')}] [--preset ${PRESETS.join('|')}]
       --target T[,T2…] (--budget N | --budget-fraction F) [--prior DIR …] --out DIR
       [--model DIR] [--merge ${LABEL_MERGES.join('|')}] [--spec FILE.json] [--deterministic-clock] [--lanes N] [experiment options below]
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
  ${LANES_USAGE}
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

const KNOWN = ['data', 'format', 'model', 'out', 'merge', 'spec', 'demo-name', 'backend', 'preset', 'target', 'budget', 'budget-fraction', 'prior', LANES_FLAG, ...SPEC_FLAGS.values];
const SWITCHES = ['deterministic-clock', ...SPEC_FLAGS.switches];

function parseBudget(args: ReturnType<typeof parseArgs>): RecommendBudget {
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

function readPrior(dir: string): RecommendPrior {
  if (!existsSync(dir)) throw new CliError(`--prior: no such folder ${dir}`);
  const summaryPath = path.join(dir, 'summary.json');
  const names = { runs: path.join(dir, 'runs.csv'), features: path.join(dir, 'features.csv'), summary: summaryPath };
  const files = {
    runsCsv: readText(names.runs, '--prior'),
    featuresCsv: readText(names.features, '--prior'),
    summaryJson: existsSync(summaryPath) ? readText(summaryPath, '--prior') : undefined,
    names,
  };
  try {
    return priorFromFiles(files, dir);
  } catch (e) {
    throw new CliError(`--prior ${dir}: ${(e as Error).message}`);
  }
}

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
  const lanes = lanesOf(args);

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
  // The pipeline's jobs (singles, conductance, then the transfers of each pick) on N lanes, whose
  // worker threads start while the data set is read and the plan made (as in experiment.ts).
  const executor = lanes > 1 ? workerExecutor({ lanes, store, backend: backend.name as 'wasm' | 'cpu' }) : undefined;
  try {
    spec.dataset = await storeInputDataset(store, { data, format, merge, demoName: args.get('demo-name'), out }, say);
    const env = cliEnv(store);
    const opened = await createCliExperiment(env, spec, out);
    const plan = opened.plan;
    try {
      checkTargets(opened, targets);
    } catch (e) {
      if (e instanceof RecommendInputError) throw new CliError(`--${e.message}`);
      throw e;
    }
    say(`backend ${backend.name}; model ${plan.model.description}; tasks: ${plan.tasks.kept.join(', ')}; targets: ${targets.join(', ')}`);

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
    if (executor) say(`lanes: ${lanes} (worker threads)`);
    try {
      const outcome = await runRecommend(env, opened, { experimentId: EXPERIMENT_ID, targets, budget, priors, clock, signal: controller.signal, onProgress, say, ...(executor ? { executor } : {}) });
      if (outcome.status === 'paused') return { ...outcome, out };
      return outcome.results.length === 1 ? outcome.results[0] : outcome.results;
    } catch (e) {
      if (e instanceof PipelineJobError) throw new Error(`${e.message}\n${rerunAdvice(e)}`);
      if (e instanceof ExperimentMismatchError) throw new CliError(`${out}: ${e.message}`);
      if (e instanceof RecommendInputError) throw new CliError(`--${e.message}`);
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
  } finally {
    await executor?.close();
    await store.close();
    await unlock();
  }
}
