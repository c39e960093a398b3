/**
 * What the worker does on behalf of the page: backend choice, data sets, the base model, and the
 * experiment (training, conductance, the regressor, the analysis). Runs inside the Web Worker,
 * where tfjs and IndexedDB work happen; every method takes and returns plain data, and long work
 * reports progress through callbacks the page passes as `Comlink.proxy`.
 *
 * The page reaches each service directly (`api.datasets.list()`, `api.results.topTerms(id, task)`):
 * comlink calls a nested method with its object as `this`, so no method needs a forwarding
 * wrapper here. Each service binds the core (src/lib) to the worker's store and backend.
 */
import * as tf from '@tensorflow/tfjs';
import * as Comlink from 'comlink';
import { openIdbStore } from '../lib/store/idb';
import type { Store } from '../lib/store/store';
import { BackendGuard } from './backend-guard';
import { DatasetService } from './datasets';
import { ModelService } from './models';
import { ExperimentService } from './experiments';
import { ResultsService } from './results';
import { RecommendService } from './recommend';
import { ExchangeService } from './exchange';
import { defaultModelSource } from '../lib/pipeline/model-source';
import type { StorageInfo } from './protocol';

export class WorkerApi {
  private storePromise: Promise<Store> | null = null;
  // Proxy-marked, so that comlink's types (and calls) reach into each service from the page.
  readonly backend = Comlink.proxy(new BackendGuard());
  readonly datasets: DatasetService & Comlink.ProxyMarked;
  readonly models: ModelService & Comlink.ProxyMarked;
  readonly experiments: ExperimentService & Comlink.ProxyMarked;
  readonly results: ResultsService & Comlink.ProxyMarked;
  readonly exchange: ExchangeService & Comlink.ProxyMarked;
  readonly recommend: RecommendService & Comlink.ProxyMarked;

  /** `appBase`: the page's base URL, so bundled files resolve from inside the worker too. */
  constructor(appBase: string) {
    const store = () => this.store();
    this.datasets = Comlink.proxy(new DatasetService(store, appBase));
    this.models = Comlink.proxy(new ModelService(store, appBase, this.backend));
    this.experiments = Comlink.proxy(new ExperimentService(store, appBase, this.datasets, this.backend));
    this.results = Comlink.proxy(new ResultsService(store, this.experiments, this.backend, appBase));
    this.recommend = Comlink.proxy(new RecommendService(this.experiments));
    this.exchange = Comlink.proxy(new ExchangeService(store, this.experiments, defaultModelSource({ appBase }), appBase));
    // After a device loss the weights are gone with the device: load the same model again.
    this.backend.onChange(async () => {
      const ref = this.models.unload();
      if (ref) await this.models.load(ref);
    });
  }

  /** The IndexedDB store, opened on first use (a failure to open is retried on the next call). */
  private store(): Promise<Store> {
    this.storePromise ??= openIdbStore().catch((e) => {
      this.storePromise = null;
      throw e;
    });
    return this.storePromise;
  }

  memory(): { numTensors: number; numBytes: number } {
    const m = tf.memory();
    return { numTensors: m.numTensors, numBytes: m.numBytes };
  }

  async storageInfo(): Promise<StorageInfo> {
    return (await this.store()).estimate();
  }
}
