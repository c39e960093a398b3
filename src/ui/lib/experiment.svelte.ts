/**
 * The page's view of experiments: the stored list, the selected one (URL `exp`), the live progress
 * of the one running in the worker, and the results the Explain/Transfer/Search/Export views read.
 * On start-up it reattaches: an experiment that was running when the page was closed or reloaded
 * is resumed from its last finished job.
 */
import type { ExperimentSpecInput } from '../../lib/pipeline/spec-types';
import { modelLabel } from '../../worker/model-ref';
import type {
  ExperimentDetail, ExperimentInfo, ExperimentResults, PlanOutcome, RunEvent, RunOutcomeInfo,
} from '../../worker/protocol';
import type { AppState } from './app.svelte';
import type { ExperimentSettings } from './settings.svelte';
import { readParam, writeParams } from './url-state';
import { uniqueExperimentName } from './unique-name';
import { canonicalJson, resolveSpec } from '../../lib/pipeline/spec';
import { modelRefKey } from '../../worker/model-ref';
import type { ModelRef } from '../../worker/protocol';
import { callback, messageOf } from './worker-client';

export interface LivePoint { step: number; loss: number }

export interface LiveJob {
  id: string;
  label: string;
  kind: string;
  index: number;
  /** The lane it runs on (1 when the experiment runs one job at a time). */
  lane: number;
  step: number;
  totalSteps: number;
  losses: LivePoint[];
  startedAt: number;
}

/** The settings of a spec without its name, canonical (an unresolvable one stands for itself). */
function settingsKey(spec: ExperimentSpecInput): string {
  try {
    return canonicalJson({ ...resolveSpec(spec), name: '' });
  } catch {
    return canonicalJson({ ...spec, name: '' });
  }
}

export class ExperimentState {
  list = $state<ExperimentInfo[]>([]);
  selectedId = $state<string | null>(readParam('exp'));
  detail = $state<ExperimentDetail | null>(null);
  running = $state(false);
  /** The experiment the worker runs (may differ from the selected one). */
  activeId = $state<string | null>(null);
  /** The jobs in flight, one per busy lane, by lane. */
  jobs = $state<LiveJob[]>([]);
  /** Lanes of the running experiment (jobs at once). */
  lanes = $state(1);
  /** The loss curve of the last training job, shown while non-training jobs run. */
  lastCurve = $state<{ label: string; losses: LivePoint[] } | null>(null);
  done = $state(0);
  total = $state(0);
  etaMs = $state<number | null>(null);
  runError = $state<{ message: string; storageFull?: boolean } | null>(null);
  /** A sentence about what happened last (paused, restarted on another backend, resumed). */
  message = $state<string | null>(null);
  results = $state<ExperimentResults | null>(null);
  /** Bumped whenever stored results change, so views reload what they show. */
  version = $state(0);
  estimating = $state(false);
  /** Between the pause for a backend switch and the restart of the run. */
  private restarting = false;

  private subscribed = false;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly app: AppState, private readonly settings: ExperimentSettings) {}

  get selected(): ExperimentInfo | undefined {
    return this.list.find((e) => e.id === this.selectedId);
  }

  /** Called once the worker is ready: list experiments, reattach to an interrupted run. */
  async attach(): Promise<void> {
    const api = this.app.api;
    if (!api) return;
    if (!this.subscribed) {
      this.subscribed = true;
      await api.experiments.subscribe(callback((e: RunEvent) => this.onEvent(e)));
    }
    await this.refreshList();
    const interrupted = this.list.find((e) => e.interrupted);
    if (interrupted) {
      await this.pick(interrupted.id);
      this.message = `Resuming "${interrupted.name}" where it stopped (${interrupted.done} of ${interrupted.jobCounts.total} jobs were done).`;
      void this.run(interrupted.id);
    } else if (this.selectedId && !this.selected) {
      this.app.notify('warning', `The experiment in the link (${this.selectedId}) is not stored in this browser. Plan it again from the settings in the link, or import its export.`);
      this.select(null);
    } else if (!this.selectedId && this.list.length) {
      this.select(this.list[0].id);
    } else if (this.selectedId) {
      await this.refreshDetail();
    }
  }

  async refreshList(): Promise<void> {
    if (!this.app.api) return;
    this.list = await this.app.api.experiments.list();
  }

  async refreshDetail(): Promise<void> {
    const api = this.app.api;
    const id = this.selectedId;
    if (!api || !id) {
      this.detail = null;
      return;
    }
    try {
      const d = await api.experiments.detail(id);
      if (this.selectedId === id) this.detail = d;
    } catch (e) {
      if (this.selectedId === id) this.detail = null;
      this.runError = { message: messageOf(e) };
    }
  }

  select(id: string | null): void {
    this.selectedId = id;
    this.results = null;
    writeParams({ exp: id });
    void this.refreshDetail();
    this.version++;
  }

  /**
   * Selects an experiment the user picked, and shows its settings: the form, the seed, the data set
   * and the model follow it, so the page's address (the share link) reproduces it.
   */
  async pick(id: string | null): Promise<void> {
    this.select(id);
    const info = this.selected;
    if (!info) return;
    const spec = info.spec;
    this.settings.show(spec);
    this.app.setSeed(spec.seed);
    if (this.app.datasets.some((d) => d.id === info.datasetId)) this.app.selectDataset(info.datasetId);
    const ref = spec.model;
    const loaded = this.app.modelRef;
    const same = loaded !== null && modelRefKey(loaded) === modelRefKey(ref as ModelRef);
    if (!same && !this.running) {
      try {
        await this.app.loadModel(ref as ModelRef);
      } catch (e) {
        this.app.notify('warning', `The base model of "${info.name}" could not be loaded (${messageOf(e)}); the form keeps the current one.`);
      }
    }
  }

  /** The spec of the current settings (the pipeline checks and completes it). */
  spec(): ExperimentSpecInput | string {
    const app = this.app;
    const s = this.settings;
    const ds = app.dataset;
    if (!ds) return 'Choose a data set first (Data view).';
    const ref = app.modelRef;
    if (!ref || ref.kind === 'files') return 'Choose a base model first (Base model view).';
    const input = s.specInput(app.seed, app.model?.maxPositions);
    if (typeof input === 'string') return input;
    const spec: ExperimentSpecInput = {
      ...input,
      name: `${ds.name} · ${modelLabel(ref)}`,
      dataset: ds.demo ? { kind: 'demo', name: ds.id.replace(/^demo:/, '') } : { kind: 'stored', id: ds.id },
      model: ref.kind === 'bundled' ? { kind: 'bundled', name: ref.name } : ref.kind === 'hub' ? { kind: 'hub', id: ref.id } : { kind: 'stored', id: ref.id },
    };
    return { ...spec, name: uniqueExperimentName(spec.name!, settingsKey(spec), this.list.map((e) => ({ name: e.name, settingsKey: settingsKey(e.spec) }))) };
  }

  async plan(): Promise<PlanOutcome> {
    const api = this.app.api;
    if (!api) return { ok: false, error: 'the worker is not ready' };
    const spec = this.spec();
    if (typeof spec === 'string') return { ok: false, error: spec };
    this.settings.save();
    const outcome = await api.experiments.plan(spec);
    if (outcome.ok) {
      await this.refreshList();
      this.select(outcome.experiment.id);
      this.detail = outcome.experiment;
      this.runError = null;
      this.message = outcome.existed ? 'This experiment already exists in this browser: its progress and results are shown.' : null;
    }
    return outcome;
  }

  async estimate(): Promise<void> {
    const api = this.app.api;
    const id = this.selectedId;
    if (!api || !id) return;
    this.estimating = true;
    try {
      await api.experiments.estimate(id);
      await this.refreshList();
      await this.refreshDetail();
    } catch (e) {
      this.runError = { message: `The time estimate failed: ${messageOf(e)}` };
    } finally {
      this.estimating = false;
    }
  }

  async run(id = this.selectedId): Promise<RunOutcomeInfo | null> {
    const api = this.app.api;
    if (!api || !id) return null;
    this.runError = null;
    this.running = true;
    this.activeId = id;
    let outcome: RunOutcomeInfo;
    try {
      outcome = await api.experiments.run(id, { lanes: this.app.lanes });
    } catch (e) {
      outcome = { status: 'failed', error: messageOf(e) };
    }
    if (outcome.status === 'failed' || outcome.status === 'busy') this.runError = { message: outcome.error ?? 'the run failed', storageFull: outcome.storageFull };
    if (outcome.status === 'busy') {
      this.running = false;
      this.activeId = null;
    }
    // The end of a run (and of a run restarted after a GPU loss) is handled in onEvent.
    return outcome;
  }

  /** A run ended (done, paused, failed): show the stored state. */
  private async ended(): Promise<void> {
    this.jobs = [];
    // Paused only to restart on another backend: it is still (about to be) running.
    if (!this.restarting) {
      this.running = false;
      this.activeId = null;
    }
    await this.refreshList();
    await this.refreshDetail();
    this.results = null;
    this.version++;
    void this.app.refreshStorage();
  }

  /** Re-runs one job: its results and its dependents' are discarded; Resume redoes them. */
  async rerun(jobId: string): Promise<void> {
    const api = this.app.api;
    const id = this.selectedId;
    if (!api || !id) return;
    let said: string | null = null;
    try {
      const { discarded } = await api.experiments.rerun(id, jobId);
      this.runError = null;
      said = `Discarded the results of ${discarded.length} job${discarded.length === 1 ? '' : 's'} (the job and what depends on it). Resume redoes ${discarded.length === 1 ? 'it' : 'them'}; the other finished jobs are kept.`;
    } catch (e) {
      this.runError = { message: `Re-run failed: ${messageOf(e)}` };
    }
    // The job list first, then the sentence: what the sentence says is on screen when it appears.
    await this.refreshList();
    await this.refreshDetail();
    if (said) this.message = said;
    this.results = null;
    this.version++;
  }

  async pause(): Promise<void> {
    await this.app.api?.experiments.pause();
    this.message = 'Paused. Resume continues from the last finished job.';
  }

  async remove(id: string): Promise<void> {
    const api = this.app.api;
    if (!api) return;
    await api.experiments.delete(id);
    if (this.selectedId === id) this.select(null);
    await this.refreshList();
    if (!this.selectedId && this.list.length) this.select(this.list[0].id);
    void this.app.refreshStorage();
  }

  /** Results of the selected experiment (cached until they change). */
  async loadResults(): Promise<ExperimentResults | null> {
    const api = this.app.api;
    const id = this.selectedId;
    if (!api || !id) return null;
    if (this.results?.experiment.id === id) return this.results;
    const r = await api.results.results(id);
    if (this.selectedId === id) this.results = r;
    return r;
  }

  private onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run-start':
        this.restarting = false;
        this.running = true;
        this.activeId = e.experimentId;
        this.done = e.done;
        this.total = e.total;
        this.lanes = e.lanes;
        this.jobs = [];
        void this.refreshList();
        break;
      case 'job-start':
        this.jobs = [
          ...this.jobs.filter((j) => j.lane !== e.job.lane),
          { id: e.job.id, label: e.job.label, kind: e.job.kind, index: e.job.index, lane: e.job.lane, step: 0, totalSteps: 0, losses: [], startedAt: performance.now() },
        ].sort((a, b) => a.lane - b.lane);
        this.done = e.done;
        this.total = e.total;
        this.etaMs = e.etaMs;
        this.markJob(e.job.id, 'running');
        break;
      case 'job-step': {
        const job = this.jobs.find((j) => j.id === e.job.id);
        if (job) {
          job.step = e.step;
          job.totalSteps = e.totalSteps;
          e.losses.forEach((loss, k) => job.losses.push({ step: e.firstStep + k, loss }));
        }
        this.etaMs = e.etaMs;
        break;
      }
      case 'job-done': {
        const job = this.jobs.find((j) => j.id === e.job.id);
        if (job && job.losses.length > 1) this.lastCurve = { label: job.label, losses: job.losses };
        // One lane keeps showing its last job until the next starts (as before lanes); several free theirs.
        if (this.lanes > 1) this.jobs = this.jobs.filter((j) => j.id !== e.job.id);
        this.done = e.done;
        this.total = e.total;
        this.etaMs = e.etaMs;
        this.markJob(e.job.id, 'done', e.elapsedMs);
        this.scheduleRefresh();
        break;
      }
      case 'job-failed':
        this.jobs = this.jobs.filter((j) => j.id !== e.job.id);
        this.markJob(e.job.id, 'failed');
        break;
      case 'run-paused':
      case 'run-done':
        this.done = e.done;
        this.total = e.total;
        if (e.type === 'run-done') this.message = 'The experiment is finished: see Explain, Transfer and Search.';
        void this.ended();
        break;
      case 'run-error':
        this.runError = { message: e.error, storageFull: e.storageFull };
        void this.ended();
        break;
      case 'run-restart':
        this.message = `${e.reason}: the experiment restarts from its last finished job on another backend.`;
        this.restarting = true;
        break;
    }
  }

  private markJob(id: string, status: 'running' | 'done' | 'failed', elapsedMs?: number): void {
    const row = this.detail?.jobs.find((j) => j.id === id);
    if (!row) return;
    // One lane: a job shown as running that did not finish (a reload, a restart) is pending again.
    if (status === 'running' && this.lanes === 1) for (const j of this.detail!.jobs) if (j.status === 'running') j.status = 'pending';
    row.status = status;
    if (elapsedMs !== undefined) row.elapsedMs = elapsedMs;
  }

  /** Finished jobs change what the results views show; refresh at most every few seconds. */
  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(async () => {
      this.refreshTimer = null;
      this.results = null;
      this.version++;
      await this.refreshList();
    }, 2000);
  }
}
