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
import type {
  BackendChange, BackendInfo, BackendPreference, BundledModel, DatasetOverview, DatasetSummary, DemoDataset, DownloadProgress,
  ForwardResult, ImportOutcome, ImportRequest, ModelRef, ModelSummary, OverviewRequest, SampleDoc, StorageInfo,
} from './protocol';

export class WorkerApi {
  private storePromise: Promise<Store> | null = null;
  readonly backend = new BackendGuard();
  readonly datasets: DatasetService;
  readonly models: ModelService;

  /** `appBase`: the page's base URL, so bundled files resolve from inside the worker too. */
  constructor(private readonly appBase: string) {
    const store = () => this.store();
    this.datasets = new DatasetService(store, appBase);
    this.models = new ModelService(store, appBase);
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
}
