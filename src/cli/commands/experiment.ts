/**
 * `experiment`: the whole method headless (src/lib/pipeline), into a folder: the folder store
 * (`OUT/store`) and, when finished, runs.csv, features.csv, table1.csv, rmse_at_k.csv,
 * runtime_at_k.csv, headline.csv and summary.json. Running the same command again continues where
 * it stopped (a kill, Ctrl-C, a failed job); a different spec in the same OUT is an error.
 * Progress goes to stderr (one line per finished job, throttled step lines), the summary to stdout.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderSource } from '../../lib/bert/file-source.node.js';
import { ImportError } from '../../lib/data/errors';
import { importDataset, IMPORT_FORMATS } from '../../lib/data/import';
import { readInputFiles } from '../../lib/data/read-files.node.js';
import type { Dataset, ImportFormat } from '../../lib/data/schema';
import type { BundledModelEntry, DemoDatasetEntry } from '../../lib/pipeline/app-index';
import { wallClock, workClock } from '../../lib/pipeline/clock';
import { estimateExperiment, speedHintOf } from '../../lib/pipeline/estimate';
import { secondsWithLanes } from '../../lib/pipeline/lane-schedule';
import { createExperiment, ExperimentMismatchError, openExperiment, putOrCheckDataset, type OpenedExperiment } from '../../lib/pipeline/experiment';
import { experimentOutputs } from '../../lib/pipeline/outputs';
import { PlanError } from '../../lib/pipeline/plan';
import { PrepareError } from '../../lib/pipeline/prepare';
import { PipelineJobError, type ProgressEvent, runExperiment } from '../../lib/pipeline/runner';
import { SpecError } from '../../lib/pipeline/spec';
import { flagUsage, SPEC_FLAGS, specInputFromFlags } from '../../lib/pipeline/spec-flags';
import { EXPERIMENT_PRESET_NAMES, isExperimentPresetName, LABEL_MERGES, withPreset } from '../../lib/pipeline/spec-options';
import { OptionValueError } from '../../lib/pipeline/spec-text';
import type { ExperimentSpecInput } from '../../lib/pipeline/spec-types';
import type { ModelSourceResolver, PipelineEnv } from '../../lib/pipeline/types';
import { rerunAdvice, rerunJob, RerunError, withCorruptionRecovery } from '../../lib/pipeline/rerun-job';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { corruptRecordIn } from '../../lib/store/errors';
import { openFolderStore } from '../../lib/store/folder.node.js';
import type { Store } from '../../lib/store/store';
import { writeFileAtomic } from '../../lib/util/atomic-write.node.js';
import { describeFsError, isFsError } from '../../lib/util/fs-errors';
import { CliError, parseArgs } from '../args';
import { lockExperiment } from '../experiment-lock';
import { availableParallelism, totalmem } from 'node:os';
import { defaultLanes, LANES_FLAG, LANES_USAGE, parseLanes } from '../../lib/pipeline/lanes';
import { workerExecutor } from '../../lib/pipeline/worker-executor.node.js';
import { checkRedis, QUEUE_FLAG } from '../queue/connection';
import { checkQueueFree, queueExecutor } from '../queue/queue-executor';
import type { JobExecutor } from '../../lib/pipeline/job-pool';

/** `--lanes N`, or the default for this machine's cores and memory; a bad value is a usage error. */
export function lanesOf(args: ReturnType<typeof parseArgs>): number {
  const cores = availableParallelism();
  const text = args.get(LANES_FLAG);
  try {
    return text === undefined ? defaultLanes(cores, totalmem()) : parseLanes(text, cores, (line) => process.stderr.write(line + '\n'));
  } catch (e) {
    if (e instanceof OptionValueError) throw new CliError(e.message);
    throw e;
  }
}

/** The repository root: the bundled models and demo data are read from here. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const EXPERIMENT_ID = 'experiment';
const INPUT_DATASET_ID = 'input';

export const usage = `usage: npm run cli -- experiment --data PATH|demo --out DIR
       [--format ${[...IMPORT_FORMATS, 'demo'].join('|')}] [--model DIR] [--merge ${LABEL_MERGES.join('|')}] [--preset ${EXPERIMENT_PRESET_NAMES.join('|')}]
       [--spec FILE.json] [--deterministic-clock] [--no-estimate] [--plan-only] [--lanes N] [--queue redis://[:PASSWORD@]HOST:PORT]
       [experiment options below]
  Runs the experiment of docs/DESIGN.md ("Pipeline") and writes into DIR: store/ (every model, run, attribution,
  feature and regressor, resumable), and when done runs.csv, features.csv, table1.csv, rmse_at_k.csv,
  runtime_at_k.csv, headline.csv and summary.json (also printed on stdout).
  --data demo             the bundled demo data set (datasets/index.json; --demo-name, default debtags)
  --model DIR             a Hugging Face BERT folder (default: the bundled model of models/index.json)
  --merge                 how TREC-IS assessor judgements of one tweet combine (default union; last = the paper's counts)
  --preset P              a named partial spec (spec-options.ts EXPERIMENT_PRESETS) under the --spec file and the flags;
                          quick = 3 demo tasks, every ordered pair, one short setting: the demo in minutes
  --spec FILE             spec fields as JSON (src/lib/pipeline/spec-types.ts, ExperimentSpecInput); flags override them
  --deterministic-clock   measure "time" in work units (1 per training example, conductance interpolation
                          point and regressor row) instead of milliseconds: reruns, and a run killed and resumed,
                          give byte-identical summary.json. Time savings are then savings in work, not wall time.
  --plan-only             create (or check) the experiment, measure the throughput, print the plan and the
                          time estimate, and stop before the first job
  ${LANES_USAGE}
  --queue URL             run the lane jobs on "worker" processes through BullMQ on Redis (redis:// or rediss://);
                          --lanes then is how many jobs are queued at once. An execution setting, not in the spec
  --rerun JOB_ID          discard that job's results and those of every job depending on it, then continue
                          (job ids as printed in the progress lines, e.g. single/<task>/<setting>, features)
  Experiment options (src/lib/pipeline/spec-options.ts; the same settings as the app's and its links'):
${flagUsage()}
  Same command and DIR again: continues; finished jobs are never redone. Ctrl-C pauses after the current step.
  One process per DIR: a second one is refused (DIR/run.lock names the holder); a dead holder's lock is taken over.`;

const KNOWN = ['data', 'format', 'model', 'out', 'merge', 'preset', 'spec', 'demo-name', 'backend', 'rerun', LANES_FLAG, QUEUE_FLAG, ...SPEC_FLAGS.values];
const SWITCHES = ['deterministic-clock', 'no-estimate', 'plan-only', ...SPEC_FLAGS.switches];

export async function loadDemo(name: string): Promise<Dataset> {
  const index = JSON.parse(await readFile(path.join(ROOT, 'datasets', 'index.json'), 'utf8')) as DemoDatasetEntry[];
  const entry = index.find((d) => d.name === name);
  if (!entry) throw new CliError(`there is no demo data set "${name}"; datasets/index.json lists: ${index.map((d) => d.name).join(', ')}`);
  return JSON.parse(await readFile(path.join(ROOT, 'datasets', entry.path), 'utf8')) as Dataset;
}

/** The bundled model the app uses: the entry of models/index.json flagged `default`, else the first that is not the test fixture. */
export async function defaultModelDir(): Promise<string> {
  const index = JSON.parse(await readFile(path.join(ROOT, 'models', 'index.json'), 'utf8')) as BundledModelEntry[];
  const entry = index.find((m) => m.default) ?? index.find((m) => m.name !== 'fixture-tiny') ?? index[0];
  if (!entry) throw new CliError('models/index.json lists no model; pass --model DIR');
  return path.join(ROOT, 'models', entry.path);
}

/**
 * The spec's data set for `--data/--format`: the demo by name, or the imported files stored as
 * "input" (checked against the one stored before, so a resumed run uses the same data). Also used
 * by `recommend`.
 */
export async function storeInputDataset(
  store: Store,
  o: { data: string; format: ImportFormat | 'demo'; merge?: (typeof LABEL_MERGES)[number]; demoName?: string; out: string },
  say: (line: string) => void,
): Promise<NonNullable<ExperimentSpecInput['dataset']>> {
  const { data, format, merge, out } = o;
  if (format === 'demo') return { kind: 'demo', name: o.demoName ?? 'debtags' };
  let dataset: Dataset;
  try {
    const files = await readInputFiles(data);
    dataset = importDataset(format, files, {
      name: path.basename(path.resolve(data)),
      trecis: merge ? { merge } : undefined,
    });
  } catch (e) {
    // Bad or missing data is not a usage error: exit 1 (main.ts), the message names the file.
    if (e instanceof ImportError || isFsError(e)) throw new Error(isFsError(e) ? `--data ${describeFsError(e, data)}` : `--data ${data}: ${(e as Error).message}`, { cause: e });
    throw e;
  }
  for (const note of dataset.source.notes) say(`data: ${note}`);
  try {
    await putOrCheckDataset(store, INPUT_DATASET_ID, dataset);
  } catch (e) {
    if (e instanceof ExperimentMismatchError) throw new CliError(`${out}: ${e.message}; use another --out, or the same data to resume`);
    throw e;
  }
  return { kind: 'stored', id: INPUT_DATASET_ID };
}

/** The pipeline environment of the CLI: a folder store, models read from folders only. */
export function cliEnv(store: Store): PipelineEnv {
  const modelSource: ModelSourceResolver = async (ref) => {
    if (ref.kind !== 'folder') throw new CliError(`the command line reads models from folders only, not ${ref.kind} models`);
    return folderSource(ref.path);
  };
  return { store, modelSource, loadDemo };
}

/** Creates (or finds) the experiment of `spec` in the store of `out`; a bad spec or a different stored one is a usage error. */
export async function createCliExperiment(env: PipelineEnv, spec: ExperimentSpecInput, out: string): Promise<OpenedExperiment> {
  try {
    return await createExperiment(env, spec, { id: EXPERIMENT_ID });
  } catch (e) {
    if (e instanceof ExperimentMismatchError) throw new CliError(`${out}: ${e.message}`);
    if (e instanceof SpecError || e instanceof PlanError || (e instanceof PrepareError && e.usage)) throw new CliError(e.message);
    throw e;
  }
}

export const seconds = (ms: number) => (ms < 90_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 5_400_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(2)} h`);

export function progressPrinter(deterministic: boolean): (e: ProgressEvent) => void {
  const say = (line: string) => process.stderr.write(line + '\n');
  const time = (ms: number) => (deterministic ? `${ms} work units` : seconds(ms));
  const eta = (ms: number | null) => (ms === null ? '' : ` · ETA ${deterministic ? `${Math.round(ms)} work units` : seconds(ms)}`);
  // Step lines are throttled per lane, so every lane shows up.
  const lastStep = new Map<number, number>();
  let lanes = 1;
  const lane = (j: { lane: number }) => (lanes > 1 ? `lane ${j.lane}: ` : '');
  const laneTag = (j: { lane: number }) => (lanes > 1 ? ` [lane ${j.lane}]` : '');
  return (e) => {
    switch (e.type) {
      case 'run-start':
        lanes = e.lanes;
        say(e.resumed ? `resuming: ${e.done} of ${e.total} jobs already done` : `running ${e.total} jobs`);
        if (lanes > 1) say(`lanes: ${lanes} (worker threads)`);
        break;
      case 'job-step': {
        const now = Date.now();
        if (now - (lastStep.get(e.job.lane) ?? 0) < 5000 || e.step === e.totalSteps) break;
        lastStep.set(e.job.lane, now);
        say(`      ${lane(e.job)}${e.job.id}: step ${e.step}/${e.totalSteps}${e.loss !== undefined ? ` loss ${e.loss.toFixed(4)}` : ''}${eta(e.etaMs)}`);
        break;
      }
      case 'job-start':
        lastStep.set(e.job.lane, Date.now());
        break;
      case 'job-done':
        say(`[${e.done}/${e.total}] done ${e.job.id}${laneTag(e.job)} (${e.job.label}) in ${time(e.elapsedMs)}${eta(e.etaMs)}`);
        break;
      case 'job-failed':
        say(`[${e.done}/${e.total}] FAILED ${e.job.id}${laneTag(e.job)} (${e.job.label}): ${e.error}`);
        break;
      case 'run-paused':
        say(`paused with ${e.done} of ${e.total} jobs done${e.job ? ` (${e.job.id} left pending)` : ''}; run the same command again to continue`);
        break;
      case 'run-done':
        say(`all ${e.total} jobs done`);
        break;
      default:
        break;
    }
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, KNOWN, SWITCHES);
  const data = args.required('data');
  const out = path.resolve(args.required('out'));
  const format = (args.get('format') ?? (data === 'demo' ? 'demo' : undefined)) as ImportFormat | 'demo' | undefined;
  if (format === undefined) throw new CliError(`--format is required for --data ${data}: one of ${[...IMPORT_FORMATS, 'demo'].join(', ')}`);
  if (format !== 'demo' && !IMPORT_FORMATS.includes(format)) throw new CliError(`--format must be one of ${[...IMPORT_FORMATS, 'demo'].join(', ')}, got "${format}"`);
  const merge = args.get('merge') as (typeof LABEL_MERGES)[number] | undefined;
  if (merge !== undefined && !LABEL_MERGES.includes(merge)) throw new CliError(`--merge must be one of ${LABEL_MERGES.join(', ')}, got "${merge}"`);
  if (merge !== undefined && format !== 'trecis') throw new CliError('--merge applies to --format trecis only');
  const presetName = args.get('preset');
  if (presetName !== undefined && !isExperimentPresetName(presetName)) throw new CliError(`--preset must be one of ${EXPERIMENT_PRESET_NAMES.join(', ')}, got "${presetName}"`);
  const deterministic = args.has('deterministic-clock');
  const lanes = lanesOf(args);

  // An unreachable or wrong-password Redis, or a queue another coordinator uses, is refused here, before the store is opened or changed.
  const queueText = args.get(QUEUE_FLAG);
  if (queueText !== undefined) {
    try {
      await checkRedis(queueText);
      await checkQueueFree(queueText);
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e));
    }
  }

  // The spec: a file's fields, then the flags (each checked against its range, named in the message).
  let fileSpec: Record<string, unknown> = {};
  const specFile = args.get('spec');
  if (specFile !== undefined) {
    try {
      fileSpec = JSON.parse(await readFile(specFile, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new CliError(`--spec ${specFile}: ${describeFsError(e, specFile) ?? (e as Error).message}`);
    }
    if (typeof fileSpec !== 'object' || fileSpec === null || Array.isArray(fileSpec)) throw new CliError(`--spec ${specFile}: expected a JSON object`);
  }
  let spec: ExperimentSpecInput;
  try {
    const base = presetName === undefined ? fileSpec : withPreset(presetName, fileSpec);
    spec = specInputFromFlags(args, base as ExperimentSpecInput);
  } catch (e) {
    if (e instanceof OptionValueError) throw new CliError(e.message);
    throw e;
  }
  const modelDir = path.resolve(args.get('model') ?? (await defaultModelDir()));
  spec.model = { kind: 'folder', path: modelDir };

  const backend = await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  await mkdir(out, { recursive: true });
  // Before the store opens: its start-up clean-up and every write belong to the lock's holder.
  const unlock = await lockExperiment(out, (line) => process.stderr.write(line + '\n'));
  let store;
  try {
    store = await openFolderStore(path.join(out, 'store'));
  } catch (e) {
    await unlock();
    throw e;
  }
  const say = (line: string) => process.stderr.write(line + '\n');
  // The lanes' worker threads start now, so that their start (tsx, tfjs and its wasm: about 2 s
  // each, measured) runs while the data set is read, the plan made and the speed estimated,
  // instead of in front of each lane's first job.
  const lanesExecutor = lanes > 1 && queueText === undefined && !args.has('plan-only')
    ? workerExecutor({ lanes, store, backend: backend.name as 'wasm' | 'cpu' })
    : undefined;
  try {
    spec.dataset = await storeInputDataset(store, { data, format, merge, demoName: args.get('demo-name'), out }, say);

    const env = cliEnv(store);
    let opened = await createCliExperiment(env, spec, out);
    const plan = opened.plan;
    say(`backend ${backend.name}; model ${plan.model.description} (${plan.model.layers} layers, hidden ${plan.model.hidden}, max length ${plan.model.maxLength})`);
    say(`tasks kept (${plan.tasks.kept.length}): ${plan.tasks.kept.join(', ')}`);
    for (const ex of plan.tasks.excluded) say(`task left out: ${ex.task}: ${ex.reason}`);
    for (const note of plan.notes.filter((n) => !n.startsWith('Task "') || !n.includes('left out'))) say(`note: ${note}`);
    const c = plan.jobCounts;
    const seeds = plan.spec.seeds;
    const perSeed = seeds > 1 ? ` × ${seeds} seeds` : '';
    say(`plan: ${c.total} jobs: ${c.single} single-task trainings, ${c.conductance} conductance, ${plan.pairs} pairs × ${c.transfer / Math.max(1, plan.pairs * seeds)} settings${perSeed} = ${c.transfer} transfer trainings, ${c.regressor} regressor sets`);

    const rerun = args.get('rerun');
    if (rerun !== undefined) {
      try {
        const { discarded } = await rerunJob(env, EXPERIMENT_ID, rerun);
        say(`rerun: discarded the results of ${discarded.length} job${discarded.length === 1 ? '' : 's'}: ${discarded.join(', ')}`);
      } catch (e) {
        throw e instanceof RerunError ? new CliError(`--rerun: ${e.message}`) : e;
      }
      opened = await openExperiment(env, EXPERIMENT_ID);
    }
    const states = opened.record.jobs;
    const pending = opened.jobs.jobs.filter((j) => states[j.id]?.status !== 'done').length;
    let estimate = plan.estimate;
    if (pending > 0 && !estimate && !args.has('no-estimate')) {
      estimate = await estimateExperiment(env, EXPERIMENT_ID);
      const t = estimate.throughput;
      say(
        `estimate: ${seconds(estimate.seconds.total * 1000)} on ${t.backend} (single ${seconds(estimate.seconds.single * 1000)}, transfer ${seconds(estimate.seconds.transfer * 1000)}, ` +
          `conductance ${seconds(estimate.seconds.conductance * 1000)}); ${t.trainExamplesPerSec.toFixed(0)} training examples/s, ` +
          `${t.evalExamplesPerSec.toFixed(0)} evaluated/s, ${t.conductanceSecPerDoc === null ? 'no conductance' : `${t.conductanceSecPerDoc.toFixed(3)} s per conductance document`}`,
      );
      if (lanes > 1) {
        say(`estimate with ${lanes} lanes: at least ${seconds(secondsWithLanes(estimate, lanes) * 1000)} (the job graph at one lane's speed each; lanes that share cores run slower, and the ETA while running uses the measured rate)`);
      }
    }

    if (args.has('plan-only')) {
      return {
        status: 'planned', out, tasks: plan.tasks, pairs: plan.pairs, jobs: plan.jobCounts, done: c.total - pending,
        dataset: plan.dataset, model: plan.model, notes: plan.notes, estimate: estimate ?? null,
      };
    }

    const controller = new AbortController();
    const onSigint = () => {
      say('interrupt: pausing after the current step…');
      controller.abort(new DOMException('paused by the user', 'AbortError'));
    };
    process.once('SIGINT', onSigint);
    let outcome;
    // One lane: the jobs run in this process (today's path); more: each in its own worker thread.
    // A queue: the jobs run on `worker` processes, anywhere Redis reaches.
    let executor: JobExecutor | undefined;
    if (queueText !== undefined) {
      try {
        executor = await queueExecutor({ url: queueText, store, lanes, say });
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : String(e));
      } finally {
        if (executor === undefined) process.removeListener('SIGINT', onSigint);
      }
      say(`queue: ${lanes} job(s) at once on ${queueText.replace(/\/\/([^@/]*)@/, '//***@')}`);
    } else executor = lanesExecutor;
    try {
      outcome = await runExperiment(env, EXPERIMENT_ID, {
        executor,
        clock: deterministic ? workClock() : wallClock(),
        signal: controller.signal,
        onProgress: progressPrinter(deterministic),
        speedHint: estimate && !deterministic ? speedHintOf(estimate.throughput, plan.spec) : undefined,
      });
    } catch (e) {
      if (e instanceof PipelineJobError) throw new Error(`${e.message}\n${rerunAdvice(e)}`);
      if (e instanceof ExperimentMismatchError) throw new CliError(`${out}: ${e.message}`);
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await executor?.close();
    }
    if (outcome.status === 'paused') return { status: 'paused', done: outcome.done, total: outcome.total, out };

    let outputs;
    try {
      outputs = await withCorruptionRecovery(env, EXPERIMENT_ID, () => experimentOutputs(env, EXPERIMENT_ID));
    } catch (e) {
      if (corruptRecordIn(e)) throw new Error(`${(e as Error).message}\n${rerunAdvice(e)}`);
      throw e;
    }
    const { files, summary } = outputs;
    for (const [name, text] of Object.entries(files)) await writeFileAtomic(path.join(out, name), text);
    say(`wrote ${Object.keys(files).join(', ')} to ${out}`);
    // The conditions under which the figures are not findings, where a reader of the log sees them.
    for (const w of summary.warnings) say(`warning (${w.kind}${w.task === null ? '' : `, ${w.task}`}): ${w.message}`);
    return summary;
  } finally {
    await lanesExecutor?.close();
    await store.close();
    await unlock();
  }
}
