/**
 * What the worker does on behalf of the page: backend choice, data sets, the base model, and the
 * experiment (training, conductance, the regressor, the analysis). Runs inside the Web Worker,
 * where tfjs and IndexedDB work happen; every method takes and returns plain data, and long work
 * reports progress through callbacks the page passes as `Comlink.proxy`.
 */
import * as tf from '@tensorflow/tfjs';
import { openIdbStore } from '../lib/store/idb';
import type { Store } from '../lib/store/store';
import { BackendGuard } from './backend-guard';
import { DatasetService } from './datasets';
import { ModelService } from './models';
import { ExperimentService } from './experiments';
import { ResultsService } from './results';
import { ExchangeService } from './exchange';
import { StorageFullError } from '../lib/store/errors';
import { defaultModelSource } from '../lib/pipeline/modelSource';
import type {
  AttributionView, BackendChange, BackendInfo, BackendPreference, BundledModel, DatasetOverview, DatasetSummary, DemoDataset,
  DownloadProgress, EstimateInfo, ExperimentDetail, ExperimentInfo, ExperimentResults, ExplainDoc, ExplainTarget, ExportFile,
  ForwardResult, ImportOutcome, ImportRequest, ModelRef, ModelSummary, OverviewRequest, PlanOutcome, RunEvent, RunOutcomeInfo,
  RegressorChoice, SampleDoc, StorageInfo, TopTerm, TransferMatrices,
} from './protocol';
import * as Comlink from 'comlink';

export class WorkerApi {
  private storePromise: Promise<Store> | null = null;
  readonly backend = new BackendGuard();
  readonly datasets: DatasetService;
  readonly models: ModelService;
  readonly experiments: ExperimentService;
  readonly results: ResultsService;
  readonly exchange: ExchangeService;

  /** `appBase`: the page's base URL, so bundled files resolve from inside the worker too. */
  constructor(private readonly appBase: string) {
    const store = () => this.store();
    this.datasets = new DatasetService(store, appBase);
    this.models = new ModelService(store, appBase);
    this.experiments = new ExperimentService(store, appBase, this.datasets, this.backend);
    this.results = new ResultsService(store, this.experiments, appBase);
    this.exchange = new ExchangeService(store, this.experiments, defaultModelSource({ appBase }));
    // After a device loss the weights are gone with the device: load the same model again.
    this.backend.onChange(async () => {
      const ref = this.models.unload();
      if (ref) await this.models.load(ref);
    });
  }

  /** The IndexedDB store, opened on first use (a failure to open is retried on the next call). */
  store(): Promise<Store> {
    this.storePromise ??= openIdbStore().catch((e) => {
      this.storePromise = null;
      throw e;
    });
    return this.storePromise;
  }

  // ---- backend --------------------------------------------------------------------------------

  async init(preference: BackendPreference): Promise<BackendInfo> {
    return this.backend.init(preference);
  }

  /** The page hears about backend switches the worker makes by itself. */
  onBackendChange(listener: (change: BackendChange) => void): void {
    this.backend.onChange(listener);
  }

  simulateDeviceLoss(): boolean {
    return this.backend.simulateDeviceLoss();
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }

  async storageInfo(): Promise<StorageInfo> {
    return (await this.store()).estimate();
  }

  // ---- data sets -------------------------------------------------------------------------------

  demoDatasets(): Promise<DemoDataset[]> {
    return this.datasets.demoIndex();
  }

  ensureDemoDataset(name: string): Promise<DatasetSummary> {
    return this.datasets.ensureDemo(name);
  }

  listDatasets(): Promise<DatasetSummary[]> {
    return this.datasets.list();
  }

  importDataset(request: ImportRequest): Promise<ImportOutcome> {
    return this.datasets.import(request);
  }

  deleteDataset(id: string): Promise<void> {
    return this.datasets.delete(id);
  }

  datasetOverview(id: string, request: OverviewRequest): Promise<DatasetOverview> {
    return this.datasets.overview(id, request);
  }

  sampleDocuments(id: string, task: string, n: number, seed: number): Promise<SampleDoc[]> {
    return this.datasets.samples(id, task, n, seed);
  }

  // ---- base model ------------------------------------------------------------------------------

  bundledModels(): Promise<BundledModel[]> {
    return this.models.bundledIndex();
  }

  async loadModel(ref: ModelRef, files?: Record<string, Uint8Array>, onProgress?: (p: DownloadProgress) => void): Promise<ModelSummary> {
    if (!this.backend.current) throw new Error('the backend is not initialised yet');
    return this.models.load(ref, files, onProgress);
  }

  summary(): ModelSummary {
    return this.models.summary();
  }

  storedBaseModels(): Promise<{ id: string; label: string; createdAt: string }[]> {
    return this.models.storedBaseModels();
  }

  deleteStoredModel(id: string): Promise<void> {
    return this.models.deleteStored(id);
  }

  async forward(texts: string[]): Promise<ForwardResult[]> {
    await this.backend.settled();
    return this.models.forward(texts);
  }

  // ---- experiments -----------------------------------------------------------------------------

  /** Progress of whichever experiment runs, now or later. */
  onRunEvent(listener: (event: RunEvent) => void): void {
    this.experiments.subscribe(listener);
  }

  planExperiment(spec: unknown): Promise<PlanOutcome> {
    return this.experiments.plan(spec);
  }

  estimateExperiment(id: string): Promise<EstimateInfo> {
    return this.experiments.estimate(id);
  }

  listExperiments(): Promise<ExperimentInfo[]> {
    return this.experiments.list();
  }

  experimentDetail(id: string): Promise<ExperimentDetail> {
    return this.experiments.detail(id);
  }

  activeExperiment(): string | null {
    return this.experiments.activeId;
  }

  /** Starts or resumes; resolves when the run ends (done, paused or failed). */
  async runExperiment(id: string): Promise<RunOutcomeInfo> {
    await this.backend.settled();
    return this.experiments.run(id);
  }

  pauseExperiment(): Promise<RunOutcomeInfo | null> {
    return this.experiments.pause();
  }

  deleteExperiment(id: string): Promise<void> {
    return this.experiments.delete(id);
  }

  // ---- results ---------------------------------------------------------------------------------

  experimentResults(id: string): Promise<ExperimentResults> {
    return this.results.results(id);
  }

  transferMatrices(id: string): Promise<TransferMatrices> {
    return this.results.transferMatrices(id);
  }

  explainTargets(id: string): Promise<ExplainTarget[]> {
    return this.results.explainTargets(id);
  }

  explainDocs(id: string, task: string | null): Promise<ExplainDoc[]> {
    return this.results.explainDocs(id, task);
  }

  attribution(id: string, modelId: string, docId: string): Promise<AttributionView | null> {
    return this.results.attribution(id, modelId, docId);
  }

  async liveAttribution(id: string, modelId: string, text: string): Promise<AttributionView> {
    await this.backend.settled();
    return this.results.liveAttribution(id, modelId, text);
  }

  topTerms(id: string, task: string, n?: number): Promise<TopTerm[]> {
    return this.results.topTerms(id, task, n);
  }

  // ---- export / import -------------------------------------------------------------------------

  exportTables(id: string): Promise<ExportFile[]> {
    return this.exchange.tables(id);
  }

  async exportExperimentZip(id: string, options: { attributions: boolean; models: boolean }): Promise<Uint8Array> {
    const zip = await this.exchange.experimentZip(id, options);
    return Comlink.transfer(zip, [zip.buffer as ArrayBuffer]);
  }

  /** Imports an experiment zip; a problem is returned (not thrown) with what to do. */
  async importExperimentZip(file: Blob, name: string): Promise<{ ok: true; id: string; name: string } | { ok: false; error: string; storageFull?: boolean }> {
    try {
      const r = await this.exchange.importZip(new Uint8Array(await file.arrayBuffer()), name);
      return { ok: true, ...r };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e), ...(e instanceof StorageFullError ? { storageFull: true } : {}) };
    }
  }

  async exportModelZip(experimentId: string, modelId: string): Promise<Uint8Array> {
    const zip = await this.exchange.modelZip(experimentId, modelId);
    return Comlink.transfer(zip, [zip.buffer as ArrayBuffer]);
  }

  exportRegressor(experimentId: string, featureSet: string, heldOutTarget: string | null): Promise<string> {
    return this.exchange.regressorJson(experimentId, featureSet, heldOutTarget);
  }

  experimentModels(experimentId: string): Promise<{ id: string; task: string; f1: number }[]> {
    return this.exchange.models(experimentId);
  }

  experimentRegressors(experimentId: string): Promise<RegressorChoice[]> {
    return this.exchange.regressors(experimentId);
  }
}
