/**
 * Experiments on the worker side: plan one from the page's settings (an experiment spec), estimate
 * its time, run it (one at a time), pause, delete, and describe it for the page. The pipeline
 * (src/lib/pipeline) does the work and keeps every job's result and state in IndexedDB, so a run
 * that a reload or a crash interrupted resumes from its last finished job.
 *
 * An experiment's id is a hash of its resolved spec: the same shared link opened twice in one
 * browser finds the same experiment (and resumes it) instead of starting a duplicate.
 */
import { deleteExperiment } from '../lib/store/delete-experiment';
import { StorageFullError } from '../lib/store/errors';
import type { ExperimentRecord } from '../lib/store/records';
import type { Store } from '../lib/store/store';
import type { Dataset } from '../lib/data/schema';
import { estimateExperiment, speedHintOf } from '../lib/pipeline/estimate';
import { createExperiment, experimentPlanOf } from '../lib/pipeline/experiment';
import { defaultModelSource } from '../lib/pipeline/model-source';
import { planJobs } from '../lib/pipeline/plan';
import { prepareData } from '../lib/pipeline/prepare';
import { rerunJob } from '../lib/pipeline/rerun-job';
import { checkLanes } from '../lib/pipeline/lanes';
import type { JobExecutor } from '../lib/pipeline/job-pool';
import { browserLaneExecutor } from './lane-executor';
import { type ProgressEvent, runExperiment } from '../lib/pipeline/runner';
import { canonicalJson, resolveSpec, SpecError } from '../lib/pipeline/spec';
import type { ExperimentPlan, PipelineEnv } from '../lib/pipeline/types';
import { bytesHash } from '../lib/util/hash';
import type { BackendGuard } from './backend-guard';
import type { DatasetService } from './datasets';
import type {
  EstimateInfo, ExperimentDetail, ExperimentInfo, ExperimentStatusName, JobRow, PlanOutcome, RunEvent, RunOutcomeInfo,
} from './protocol';

/** At most this many step events per second reach the page (losses are batched, none is lost). */
const STEP_EVENTS_PER_SEC = 8;

/** What a run does once it holds the slot and the lock: `experiment` runs every job; `recommend` its own loop. */
export type RunBody = (signal: AbortSignal, onProgress: (e: ProgressEvent) => void, executor: JobExecutor | undefined) => Promise<RunOutcomeInfo>;

interface ActiveRun {
  id: string;
  body: RunBody | undefined;
  controller: AbortController;
  done: Promise<RunOutcomeInfo>;
  /** Set when the run is being stopped to restart on another backend. */
  restarting: boolean;
  /** Gives up on a run that does not stop (a job stuck on a lost GPU): frees its slot and lock. */
  abandon: (outcome: RunOutcomeInfo) => void;
}

function planOf(record: ExperimentRecord): ExperimentPlan {
  return experimentPlanOf(record);
}

export function experimentIdOf(spec: unknown): string {
  return `exp-${bytesHash(new TextEncoder().encode(canonicalJson(spec)))}`;
}

export class ExperimentService {
  private active: ActiveRun | null = null;
  private readonly listeners = new Set<(e: RunEvent) => void>();

  constructor(
    private readonly store: () => Promise<Store>,
    private readonly appBase: string,
    private readonly datasets: DatasetService,
    private readonly backend: BackendGuard,
  ) {
    // A lost GPU: pause the run (its job stays pending), then restart it on the new backend.
    let resumeAfterSwitch: { id: string; body: RunBody | undefined } | null = null;
    backend.onStopping(async (reason) => {
      const run = this.active;
      if (!run) return;
      resumeAfterSwitch = { id: run.id, body: run.body };
      run.restarting = true;
      this.emit({ type: 'run-restart', reason });
      run.controller.abort(new DOMException(reason, 'AbortError'));
      // A job stuck on the dead device must not block the switch forever: after a grace period
      // the run is abandoned (it wrote nothing for its unfinished job, which stays pending).
      const settled = await Promise.race([run.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!settled) {
        run.abandon({ status: 'paused', error: reason });
        // Wait until the abandoned run has left the run slot (its lock released, `active` cleared):
        // otherwise the restart below finds it still there and returns its outcome instead of
        // starting again, and the experiment stays paused on the new backend.
        await run.done;
      }
    });
    backend.onChange(async () => {
      const again = resumeAfterSwitch;
      resumeAfterSwitch = null;
      if (again) void this.start(again.id, again.body);
    });
  }

  async env(): Promise<PipelineEnv> {
    const store = await this.store();
    return {
      store,
      modelSource: defaultModelSource({ appBase: this.appBase }),
      loadDemo: async (name: string): Promise<Dataset> => {
        await this.datasets.ensureDemo(name);
        return this.datasets.get(`demo:${name}`);
      },
    };
  }

  subscribe(listener: (e: RunEvent) => void): void {
    this.listeners.add(listener);
  }

  private emit(event: RunEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        this.listeners.delete(l); // the page that registered it is gone
      }
    }
  }

  get activeId(): string | null {
    return this.active?.id ?? null;
  }

  // ---- describing ------------------------------------------------------------------------------

  info(record: ExperimentRecord): ExperimentInfo {
    const plan = planOf(record);
    const states = record.jobs;
    const values = Object.values(states);
    const estimate: EstimateInfo | undefined = plan.estimate
      ? {
          backend: plan.estimate.throughput.backend,
          trainExamplesPerSec: plan.estimate.throughput.trainExamplesPerSec,
          conductanceSecPerDoc: plan.estimate.throughput.conductanceSecPerDoc,
          seconds: plan.estimate.seconds,
          ...(plan.estimate.lanesSeconds ? { lanesSeconds: plan.estimate.lanesSeconds } : {}),
        }
      : undefined;
    const active = this.active?.id === record.id;
    let status = (record.status ?? 'planned') as ExperimentStatusName;
    // "running" in the store but not here: the page that ran it was closed or reloaded.
    const interrupted = status === 'running' && !active;
    if (interrupted) status = 'paused';
    return {
      id: record.id,
      name: record.name,
      status,
      datasetId: plan.dataset.id,
      datasetName: plan.dataset.name,
      model: plan.model.description,
      tasks: plan.tasks.kept,
      excluded: plan.tasks.excluded,
      pairs: plan.pairs,
      jobCounts: plan.jobCounts,
      done: values.filter((s) => s.status === 'done').length,
      failed: values.filter((s) => s.status === 'failed').length,
      notes: plan.notes,
      ...(estimate ? { estimate } : {}),
      spec: plan.spec,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      active,
      interrupted,
    };
  }

  /** The job list, re-planned from the spec (the pipeline never stores it). */
  async detailOf(record: ExperimentRecord): Promise<ExperimentDetail> {
    const plan = planOf(record);
    const states = record.jobs;
    const jobs = planJobs(plan.spec, plan.tasks.kept).jobs;
    const running = this.active?.id === record.id ? this.runningJob : null;
    const rows: JobRow[] = jobs.map((j) => {
      const s = states[j.id];
      const status: JobRow['status'] = s?.status === 'done' ? 'done' : s?.status === 'failed' ? 'failed' : running === j.id ? 'running' : 'pending';
      return {
        id: j.id, kind: j.kind, label: j.label, status,
        ...(s?.elapsedMs !== undefined ? { elapsedMs: s.elapsedMs } : {}),
        ...(s?.error ? { error: s.error } : {}),
      };
    });
    return { ...this.info(record), jobs: rows };
  }

  private runningJob: string | null = null;

  async list(): Promise<ExperimentInfo[]> {
    const store = await this.store();
    const out: ExperimentInfo[] = [];
    for (const r of await store.experiments.list()) {
      try {
        out.push(this.info(r));
      } catch {
        /* not a pipeline experiment (another version): not listed */
      }
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async detail(id: string): Promise<ExperimentDetail> {
    const record = await (await this.store()).experiments.get(id);
    if (!record) throw new Error(`experiment "${id}" is not stored in this browser (deleted, or the link comes from another browser)`);
    return this.detailOf(record);
  }

  // ---- planning --------------------------------------------------------------------------------

  /** Creates the experiment of a spec (or finds the one that exists for it). */
  async plan(specInput: unknown): Promise<PlanOutcome> {
    try {
      const spec = resolveSpec(specInput);
      const id = experimentIdOf(spec);
      const env = await this.env();
      const opened = await createExperiment(env, spec, { id });
      return { ok: true, experiment: await this.detailOf(opened.record), existed: opened.existed };
    } catch (e) {
      if (e instanceof SpecError) return { ok: false, error: e.message, path: e.path };
      if (e instanceof StorageFullError) return { ok: false, error: e.message };
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** Times a few training steps and conductance documents; stored with the experiment. */
  async estimate(id: string): Promise<EstimateInfo> {
    if (this.active) throw new Error('an experiment is running; its progress shows the time left');
    const e = await estimateExperiment(await this.env(), id, { steps: 3 });
    return {
      backend: e.throughput.backend,
      trainExamplesPerSec: e.throughput.trainExamplesPerSec,
      conductanceSecPerDoc: e.throughput.conductanceSecPerDoc,
      seconds: e.seconds,
    };
  }

  // ---- running ---------------------------------------------------------------------------------

  /**
   * Runs (or resumes) an experiment; resolves when it finishes, pauses or fails. Progress goes to
   * the subscribers. One experiment runs at a time in a worker, and a Web Lock keeps two tabs from
   * running the same one.
   */
  async run(id: string, options: { lanes?: number } = {}): Promise<RunOutcomeInfo> {
    if (options.lanes !== undefined) this.lanes = checkLanes(options.lanes);
    await this.backend.settled();
    return this.start(id);
  }

  /** Jobs at once (lanes.ts): kept for the restart after a backend change and for resumes. */
  private lanes = 1;

  /**
   * Runs `body` on experiment `id` in the one run slot of this worker, under the same Web Lock and
   * with the same pause, backend restart, lanes and progress events as `run` (the recommend service).
   */
  async runWith(id: string, body: RunBody, options: { lanes?: number } = {}): Promise<RunOutcomeInfo> {
    if (options.lanes !== undefined) this.lanes = checkLanes(options.lanes);
    await this.backend.settled();
    return this.start(id, body);
  }

  private start(id: string, body?: RunBody): Promise<RunOutcomeInfo> {
    if (this.active) {
      if (this.active.id === id) return this.active.done;
      return Promise.resolve({ status: 'busy', error: `another experiment ("${this.active.id}") is running; pause it first` });
    }
    const controller = new AbortController();
    let abandon: (outcome: RunOutcomeInfo) => void = () => undefined;
    const abandoned = new Promise<RunOutcomeInfo>((resolve) => (abandon = resolve));
    const run: ActiveRun = { id, body, controller, restarting: false, done: Promise.resolve({ status: 'paused' }), abandon };
    this.active = run;
    run.done = this.withLock(id, () => Promise.race([this.runLocked(id, controller.signal, body), abandoned])).finally(() => {
      if (this.active === run) {
        this.active = null;
        this.runningJob = null;
      }
    });
    return run.done;
  }

  private async withLock(id: string, fn: () => Promise<RunOutcomeInfo>): Promise<RunOutcomeInfo> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (!locks) return fn();
    return locks.request(`transferscope-experiment-${id}`, { ifAvailable: true }, async (lock) => {
      if (!lock) return { status: 'busy', error: 'this experiment is running in another tab of this browser' } satisfies RunOutcomeInfo;
      return fn();
    });
  }

  private async runLocked(id: string, signal: AbortSignal, body?: RunBody): Promise<RunOutcomeInfo> {
    const env = await this.env();
    const record = await env.store.experiments.get(id);
    const estimate = record ? planOf(record).estimate : undefined;
    const steps = new Map<string, { last: number; pending: number[]; first: number }>();
    const onProgress = (e: ProgressEvent) => {
      if (e.type === 'job-start') this.runningJob = e.job.id;
      if (e.type === 'job-step') {
        const s = steps.get(e.job.id) ?? { last: 0, pending: [], first: e.step };
        if (s.pending.length === 0) s.first = e.step;
        if (e.loss !== undefined) s.pending.push(e.loss);
        steps.set(e.job.id, s);
        const now = performance.now();
        if (now - s.last < 1000 / STEP_EVENTS_PER_SEC && e.step < e.totalSteps) return;
        s.last = now;
        const losses = s.pending;
        s.pending = [];
        this.emit({ ...e, job: { ...e.job }, losses, firstStep: s.first });
        return;
      }
      if (e.type === 'job-done' || e.type === 'job-failed') steps.delete(e.job.id);
      this.emit(structuredClone(e));
    };
    // More than one lane: each a Web Worker with its own backend (lane-executor.ts); one: in this worker.
    const backend = this.backend.current?.name;
    const executor = this.lanes > 1 && backend ? browserLaneExecutor({ lanes: this.lanes, store: env.store, backend, appBase: this.appBase }) : undefined;
    try {
      if (body) return await body(signal, onProgress, executor);
      const outcome = await runExperiment(env, id, {
        executor,
        signal,
        onProgress,
        ...(estimate ? { speedHint: speedHintOf(estimate.throughput, planOf(record!).spec) } : {}),
      });
      return { status: outcome.status };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const storageFull = e instanceof StorageFullError || (e instanceof Error && e.cause instanceof StorageFullError);
      this.emit({ type: 'run-error', error, ...(storageFull ? { storageFull } : {}) });
      return { status: 'failed', error, ...(storageFull ? { storageFull } : {}) };
    } finally {
      await executor?.close();
    }
  }

  /**
   * Discards one job's results and those of every job depending on it (they become pending; the
   * next Run or Resume redoes exactly them). Refused while the experiment runs.
   */
  async rerun(id: string, jobId: string): Promise<{ discarded: string[] }> {
    if (this.active?.id === id) throw new Error('this experiment is running: pause it before re-running a job');
    this.preparedCache.delete(id);
    return rerunJob(await this.env(), id, jobId);
  }

  /** Stops the running experiment after its current step; its job stays pending. */
  async pause(): Promise<RunOutcomeInfo | null> {
    const run = this.active;
    if (!run) return null;
    run.controller.abort(new DOMException('paused by the user', 'AbortError'));
    return run.done;
  }

  /** Deletes an experiment and everything it produced (pausing it first when it runs). */
  async delete(id: string): Promise<void> {
    if (this.active?.id === id) await this.pause();
    this.preparedCache.delete(id);
    await deleteExperiment(await this.store(), id);
  }

  /** Prepared data by experiment: the split and caps are a pure function of the spec and the data. */
  private readonly preparedCache = new Map<string, { plan: ExperimentPlan; prepared: ReturnType<typeof prepareData> }>();

  /** The prepared data of an experiment (its split and caps), for the Explain view. */
  async prepared(id: string): Promise<{ plan: ExperimentPlan; prepared: ReturnType<typeof prepareData> }> {
    const hit = this.preparedCache.get(id);
    if (hit) return hit;
    const env = await this.env();
    const record = await env.store.experiments.get(id);
    if (!record) throw new Error(`experiment "${id}" is not stored in this browser`);
    const plan = planOf(record);
    const stored = await env.store.datasets.get(plan.dataset.id);
    if (!stored) throw new Error(`experiment "${id}": its data set "${plan.dataset.id}" is no longer stored`);
    const entry = { plan, prepared: prepareData(stored.dataset, plan.spec) };
    this.preparedCache.set(id, entry);
    return entry;
  }
}
