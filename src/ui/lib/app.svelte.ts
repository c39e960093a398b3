/**
 * The page's shared state: the worker handle, the backend, the chosen data set and base model, and
 * the current view. Choices that make a link reproducible are mirrored into the URL as they change.
 * One instance, created by App.svelte and handed to every view.
 */
import type {
  BackendInfo, BackendPreference, BundledModel, DatasetOverview, DatasetSummary, ModelRef, ModelSummary, OverviewRequest,
} from '../../worker/protocol';
import { modelRefKey, parseModelRefKey } from '../../worker/model-ref';
import { inRange, optionAt } from '../../lib/pipeline/spec-options';
import { defaultBrowserLanes } from '../../lib/pipeline/lanes';
import { readChoice, readParam, readSpecOption, writeParams } from './url-state';
import { callback, type Api } from './worker-client';

export const VIEWS = ['recommend', 'data', 'model', 'experiment', 'explain', 'transfer', 'search', 'export'] as const;
export type View = (typeof VIEWS)[number];
export const VIEW_LABELS: Record<View, string> = {
  recommend: 'Recommend',
  data: 'Data',
  model: 'Base model',
  experiment: 'Experiment',
  explain: 'Explain',
  transfer: 'Transfer',
  search: 'Search',
  export: 'Export',
};

export const BACKENDS: BackendPreference[] = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'];

export interface Notice {
  id: number;
  kind: 'info' | 'warning' | 'error';
  text: string;
  /** A button next to the text (e.g. "Reload" for a new version). */
  action?: { label: string; run: () => void };
}

const LAST_DATASET_KEY = 'transferscope:dataset';

function lastDataset(): string | null {
  try { return localStorage.getItem(LAST_DATASET_KEY); } catch { return null; }
}

/** The most lanes the form offers: each is a Web Worker holding a model (memory). */
export const MAX_APP_LANES = 16;

function lanesFromLink(): number | null {
  const n = Number(readParam('lanes'));
  return Number.isInteger(n) && n >= 1 && n <= MAX_APP_LANES ? n : null;
}

export class AppState {
  /**
   * The worker handle is NOT kept in $state: Svelte probes values put there (e.g. for a debug
   * symbol), and every property of a comlink proxy is a remote call. Views read `api`, which
   * depends on the reactive `connected` flag instead.
   */
  private connection: Api | null = null;
  private connected = $state(false);
  preference: BackendPreference = readChoice('backend', BACKENDS, 'auto');
  backend = $state<BackendInfo | null>(null);
  /** What the app is doing at start-up ("Ready" once usable). */
  status = $state('Starting the worker…');
  fatal = $state<string | null>(null);
  notices = $state<Notice[]>([]);
  view = $state<View>(readChoice('view', VIEWS, 'data'));

  datasets = $state<DatasetSummary[]>([]);
  /** From the link; else the last one chosen in this browser (a plain reload of the start address keeps it). */
  datasetId = $state<string | null>(readParam('data') ?? lastDataset());
  /** True when the data set was named by the link (a missing one is then worth a warning). */
  readonly datasetFromLink = readParam('data') !== null;
  bundledModels = $state<BundledModel[]>([]);
  modelRef = $state<ModelRef | null>(parseModelRefKey(readParam('model')));
  model = $state<ModelSummary | null>(null);
  modelBusy = $state(false);
  /** The one seed of everything (split, sampling, training): part of every shared link (default: the contract's). */
  seed = $state(readSpecOption('seed') as number);
  /**
   * Jobs at once (src/lib/pipeline/lanes.ts), an execution setting: not part of the spec, so it
   * changes no result. From the link (`lanes`), else null: the default for the backend and device.
   */
  lanesChoice = $state<number | null>(lanesFromLink());

  storage = $state<{ usage?: number; quota?: number; persisted?: boolean; supported?: boolean }>({});

  private nextNotice = 1;
  /**
   * Data-set overviews by request: the worker answers between training steps, so a view that was
   * shown before appears at once from here while an experiment runs.
   */
  private readonly overviews = new Map<string, DatasetOverview>();

  /** The overview of a data set under the selection rules; `cached` first when there is one. */
  async overview(id: string, request: OverviewRequest, cached?: (o: DatasetOverview) => void): Promise<DatasetOverview> {
    const key = JSON.stringify([id, request]);
    const hit = this.overviews.get(key);
    if (hit) cached?.(hit);
    if (!this.api) throw new Error('the worker is not ready');
    const fresh = await this.api.datasets.overview(id, request);
    this.overviews.set(key, fresh);
    return fresh;
  }

  forgetOverviews(): void {
    this.overviews.clear();
  }

  get api(): Api | null {
    return this.connected ? this.connection : null;
  }

  connect(api: Api): void {
    this.connection = api;
    this.connected = true;
  }

  notify(kind: Notice['kind'], text: string, action?: Notice['action']): void {
    this.notices.push({ id: this.nextNotice++, kind, text, ...(action ? { action } : {}) });
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  go(view: View): void {
    this.view = view;
    writeParams({ view: view === 'data' ? null : view });
  }

  /** The lanes a run uses: the chosen number, or the default (one per core on wasm, one on a GPU). */
  get lanes(): number {
    const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
    return this.lanesChoice ?? defaultBrowserLanes(this.backend?.name ?? 'wasm', nav?.hardwareConcurrency ?? 1, nav?.deviceMemory);
  }

  setLanes(n: number): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_APP_LANES) return;
    this.lanesChoice = n;
    writeParams({ lanes: n });
  }

  setSeed(seed: number): void {
    const o = optionAt('seed');
    if (o.kind !== 'number' || !inRange(seed, o.range)) return;
    this.seed = seed;
    writeParams({ seed });
  }

  get dataset(): DatasetSummary | undefined {
    return this.datasets.find((d) => d.id === this.datasetId);
  }

  selectDataset(id: string): void {
    this.datasetId = id;
    writeParams({ data: id });
    try { localStorage.setItem(LAST_DATASET_KEY, id); } catch { /* storage disabled: the link still has it */ }
  }

  async refreshDatasets(): Promise<void> {
    if (!this.api) return;
    this.datasets = await this.api.datasets.list();
  }

  async refreshStorage(): Promise<void> {
    if (!this.api) return;
    const info = await this.api.storageInfo();
    this.storage = { ...this.storage, usage: info.usage, quota: info.quota };
  }

  /** Asks the browser to keep our data (only the page can ask; workers have no persist()). */
  async requestPersistence(): Promise<void> {
    const storage = navigator.storage;
    if (!storage?.persist) {
      this.storage = { ...this.storage, supported: false, persisted: false };
      return;
    }
    try {
      const persisted = (await storage.persisted?.()) || (await storage.persist());
      this.storage = { ...this.storage, supported: true, persisted };
    } catch {
      this.storage = { ...this.storage, supported: true, persisted: false };
    }
  }

  /** Loads a base model (bundled / hub / stored) and records the choice in the URL. */
  async loadModel(ref: ModelRef, onProgress?: (p: { file: string; loaded: number; total?: number }) => void): Promise<ModelSummary> {
    if (!this.api) throw new Error('the worker is not ready');
    this.modelBusy = true;
    try {
      // $state values are proxies, which postMessage cannot clone: send a plain copy.
      const summary = await this.api.models.load($state.snapshot(ref) as ModelRef, undefined, onProgress ? callback(onProgress) : undefined);
      this.model = summary;
      this.modelRef = summary.ref;
      writeParams({ model: modelRefKey(summary.ref) });
      return summary;
    } finally {
      this.modelBusy = false;
    }
  }

  defaultModel(): BundledModel | undefined {
    return this.bundledModels.find((m) => m.default) ?? this.bundledModels[0];
  }

  isDefaultModel(ref: ModelRef): boolean {
    return ref.kind === 'bundled' && ref.name === this.defaultModel()?.name;
  }
}
