/**
 * The store contract: one suite, run against every implementation (idb.test.ts,
 * folder.node.test.ts). An implementation passes when it behaves identically here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageFullError } from '../../../src/lib/store/errors';
import type {
  AttributionRecord, DatasetRecord, ExperimentRecord, FeatureRecord, ModelRecord, RegressorRecord, RunRecord,
} from '../../../src/lib/store/records';
import { attributionId } from '../../../src/lib/store/records';
import { SCHEMA, type StoreSchema } from '../../../src/lib/store/schema';
import type { Store } from '../../../src/lib/store/store';

export type FullMode = 'off' | 'all' | { largerThan: number };

export interface StoreHarness {
  /** Opens the store (again: the same database or folder). */
  open(): Promise<Store>;
  /** Makes low-level writes fail as on a full disk / exhausted quota. */
  setFull(mode: FullMode): void;
  cleanup(): Promise<void>;
}

const NOW = '2025-01-02T03:04:05.000Z';

export const dataset = (id = 'ds1'): DatasetRecord => ({
  id,
  savedAt: NOW,
  dataset: {
    name: 'tiny',
    source: { format: 'csv', files: ['a.csv'], notes: ['Read 2 documents.'] },
    tasks: ['a', 'b'],
    docs: [
      { id: '1', text: 'bridge closed', labels: ['a'], event: 'flood', split: 'train' },
      { id: '2', text: 'café ☕', labels: [], split: 'test' },
    ],
  },
});

/** A run's settings (RunSettings: every field a pipeline run stores). */
export const runSettings = (lr: number, epochs: number, batch: number): RunRecord['settings'] => ({
  lr, epochs, batch, seed: 0, warmupFraction: 0.1, weightDecay: 0.01, clipNorm: 1, dropout: true, classBalanced: false,
  keepHead: false, maxLength: 128, trainDocs: 100,
});

export const model = (id: string, over: Partial<ModelRecord> = {}): ModelRecord => ({
  id, kind: 'single', base: 'fixture-tiny', experimentId: 'exp1', task: 'a', config: { hidden_size: 32, id2label: { 0: 'negative', 1: 'positive' } },
  settings: runSettings(5e-5, 2, 16), metrics: { f1: 0.5 }, createdAt: NOW, ...over,
});

export const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

export const run = (id: string, over: Partial<RunRecord> = {}): RunRecord => ({
  id, experimentId: 'exp1', kind: 'single', task: 'a', base: 'fixture-tiny', modelId: 'm1', settings: runSettings(5e-5, 1, 16),
  // An F1 with no predicted positives is undefined: NaN must survive storage.
  metrics: { f1: Number.NaN, accuracy: 0.75 }, wallTimeMs: 1234.5, examplesSeen: 320, backend: 'wasm', createdAt: NOW, ...over,
});

const CONDUCTANCE = { method: 'gausslegendre', nSteps: 50, target: 1 } as const;

export const attribution = (modelId: string, docId: string): AttributionRecord => ({
  id: attributionId(modelId, docId, CONDUCTANCE), modelId, docId, experimentId: 'exp1', ...CONDUCTANCE,
  tokens: ['[CLS]', 'bridge', 'closed', '[SEP]'], inputIds: Int32Array.from([2, 1041, 1063, 3]), layers: 2,
  perLayer: Float32Array.from([0.1, -0.5, 0.25, 0, 0.3, 0.2, -0.1, 0.9]), layerMean: Float32Array.from([0.2, -0.15, 0.075, 0.45]),
  terms: ['bridge', 'closed'], termScores: Float32Array.from([-0.15, 0.075]),
  rawTokenSums: Float32Array.from([0.2, -1, 0.5, 0, 0.6, 0.4, -0.2, 1.8]), convergenceDelta: Float64Array.from([1e-7, -3e-7]),
  fInput: 0.75, fBaseline: -0.25, elapsedMs: 12.5,
});

/** Schema 1 as it was (same tables, nothing to upgrade), to write stores the way version 1 did. */
export const SCHEMA_V1: StoreSchema = { version: 1, tables: SCHEMA.tables, migrations: [] };

/** How schema 1 stored an attribution: under `modelId::docId`, whatever the conductance settings. */
export const v1Attribution = (modelId: string, docId: string): AttributionRecord => ({ ...attribution(modelId, docId), id: `${modelId}::${docId}` });

/** How schema 1 stored a finished experiment: the analysis inside the pipeline's plan. */
export const v1Experiment = (id: string): ExperimentRecord => ({ ...experiment(id), plan: { tasks: ['a', 'b'], grid: 'small', analysis: { headline: 'h' } } });

export const feature = (id: string): FeatureRecord => ({ id, experimentId: 'exp1', source: 'a', target: 'b', values: { f1_source: 0.5, 'ansat:DA:0.05': 1.25, 'ansat:DAB:0.70': 0 } });

export const regressor = (id: string): RegressorRecord => ({
  id, experimentId: 'exp1', featureSet: 'F1+ANSAT', featureNames: ['f1_source', 'f1_target'], heldOutTarget: 'b', params: { eta: 0.3, max_depth: 6 },
  model: { learner: { gradient_booster: { model: { trees: [{ split_indices: [0, 0, 0], base_weights: [0.1, -0.2, 0.3] }] } } }, version: [1, 7, 4] },
  createdAt: NOW,
});

export const experiment = (id: string): ExperimentRecord => ({
  id, name: 'first try', datasetId: 'ds1', plan: { tasks: ['a', 'b'], grid: 'small' }, status: 'running',
  jobs: { 'single:a:0': { status: 'done', resultId: 'r1', attempts: 1 }, 'single:b:0': { status: 'pending' } }, createdAt: NOW, updatedAt: NOW,
});

export function storeContract(implementation: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`store contract: ${implementation}`, () => {
    let h: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      h = await makeHarness();
      store = await h.open();
    });
    afterEach(async () => {
      h.setFull('off');
      await store.close();
      await h.cleanup();
    });

    it('starts empty', async () => {
      for (const t of [store.datasets, store.models, store.runs, store.attributions, store.features, store.regressors, store.experiments]) {
        expect(await t.list()).toEqual([]);
        expect(await t.count()).toBe(0);
      }
      expect(await store.runs.get('nope')).toBeUndefined();
      expect(await store.models.getFiles('nope')).toBeUndefined();
    });

    it('stores and returns every entity unchanged (typed arrays, NaN, nested JSON)', async () => {
      await store.datasets.put(dataset());
      await store.models.putWithFiles(model('m1'), { safetensors: bytes(3000, 1), files: { 'tokenizer.json': bytes(10, 2) } });
      await store.runs.put(run('r1'));
      await store.attributions.put(attribution('m1', '2'));
      await store.features.put(feature('f1'));
      await store.regressors.put(regressor('g1'));
      await store.experiments.put(experiment('e1'));
      expect(await store.datasets.get('ds1')).toEqual(dataset());
      expect(await store.models.get('m1')).toEqual(model('m1'));
      expect(await store.models.getFiles('m1')).toEqual({ safetensors: bytes(3000, 1), files: { 'tokenizer.json': bytes(10, 2) } });
      const r = await store.runs.get('r1');
      expect(r).toEqual(run('r1'));
      expect(Number.isNaN(r!.metrics.f1)).toBe(true);
      const a = await store.attributions.get(attribution('m1', '2').id);
      expect(a).toEqual(attribution('m1', '2'));
      expect(a!.perLayer).toBeInstanceOf(Float32Array);
      expect(await store.features.get('f1')).toEqual(feature('f1'));
      expect(await store.regressors.get('g1')).toEqual(regressor('g1'));
      expect(await store.experiments.get('e1')).toEqual(experiment('e1'));
    });

    it('lists, counts and gives keys in id order; put replaces; delete removes', async () => {
      await store.runs.putMany([run('r3'), run('r1'), run('r2')]);
      expect((await store.runs.list()).map((x) => x.id)).toEqual(['r1', 'r2', 'r3']);
      expect(await store.runs.keys()).toEqual(['r1', 'r2', 'r3']);
      expect(await store.runs.count()).toBe(3);
      await store.runs.put(run('r2', { wallTimeMs: 99 }));
      expect((await store.runs.get('r2'))!.wallTimeMs).toBe(99);
      await store.runs.delete('r2');
      await store.runs.delete('never-there');
      expect(await store.runs.keys()).toEqual(['r1', 'r3']);
    });

    it('keeps ids with capitals, slashes, spaces and non-ASCII apart', async () => {
      const ids = ['Location', 'location', 'exp/1 a', 'ünïcødé', 'a::b', '.hidden', 'x'.repeat(300), 'x'.repeat(299) + 'y'];
      for (const id of ids) await store.features.put({ ...feature(id), values: { n: id.length } });
      expect(await store.features.keys()).toEqual([...ids].sort());
      for (const id of ids) expect((await store.features.get(id))!.id).toBe(id);
    });

    it('finds records by index, and deletes by index', async () => {
      await store.runs.putMany([run('r1'), run('r2', { experimentId: 'exp2', task: 'b' }), run('r3', { task: 'b' })]);
      expect((await store.runs.listBy('experimentId', 'exp1')).map((x) => x.id)).toEqual(['r1', 'r3']);
      expect(await store.runs.keysBy('task', 'b')).toEqual(['r2', 'r3']);
      await store.runs.put(run('r4', { experimentId: 'exp2' }));
      expect(await store.runs.keysBy('experimentId', 'exp2')).toEqual(['r2', 'r4']);
      await store.attributions.putMany([attribution('m1', '1'), attribution('m1', '2'), attribution('m2', '1')]);
      expect((await store.attributions.listBy('modelId', 'm1')).map((x) => x.docId)).toEqual(['1', '2']);
      expect(await store.runs.deleteBy('experimentId', 'exp1')).toBe(2);
      expect(await store.runs.keys()).toEqual(['r2', 'r4']);
      expect(await store.runs.listBy('experimentId', 'none')).toEqual([]);
    });

    it('deletes a model together with its bytes, by id or by index', async () => {
      await store.models.putWithFiles(model('m1'), { safetensors: bytes(100, 1) });
      await store.models.putWithFiles(model('m2', { experimentId: 'exp2' }), { safetensors: bytes(100, 2) });
      await store.models.delete('m1');
      expect(await store.models.get('m1')).toBeUndefined();
      expect(await store.models.getFiles('m1')).toBeUndefined();
      expect(await store.models.deleteBy('experimentId', 'exp2')).toBe(1);
      expect(await store.models.getFiles('m2')).toBeUndefined();
    });

    it('updates a model\'s metadata without losing its bytes', async () => {
      await store.models.putWithFiles(model('m1'), { safetensors: bytes(500, 3) });
      await store.models.put(model('m1', { metrics: { f1: 0.9 } }));
      expect((await store.models.get('m1'))!.metrics).toEqual({ f1: 0.9 });
      expect((await store.models.getFiles('m1'))!.safetensors).toEqual(bytes(500, 3));
    });

    it('updates a record by read-modify-write', async () => {
      await store.experiments.put(experiment('e1'));
      const next = await store.experiments.update('e1', (cur) => cur && { ...cur, jobs: { ...cur.jobs, 'single:b:0': { status: 'done', resultId: 'r2' } } });
      expect(next!.jobs['single:b:0']).toEqual({ status: 'done', resultId: 'r2' });
      expect((await store.experiments.get('e1'))!.jobs['single:b:0'].status).toBe('done');
      expect(await store.experiments.update('e1', () => undefined)).toEqual(next);
      const created = await store.experiments.update('e2', (cur) => cur ?? experiment('e2'));
      expect(created).toEqual(experiment('e2'));
      expect(await store.experiments.keys()).toEqual(['e1', 'e2']);
      await expect(store.experiments.update('e1', (cur) => ({ ...cur!, id: 'other' }))).rejects.toThrow(/new record has id "other"/);
    });

    it('keeps everything across close and reopen', async () => {
      await store.models.putWithFiles(model('m1'), { safetensors: bytes(2000, 4) });
      await store.attributions.put(attribution('m1', '7'));
      await store.close();
      store = await h.open();
      expect(store.schemaVersion).toBe(SCHEMA.version);
      expect(await store.models.get('m1')).toEqual(model('m1'));
      expect((await store.models.getFiles('m1'))!.safetensors).toEqual(bytes(2000, 4));
      expect(await store.attributions.listBy('modelId', 'm1')).toEqual([attribution('m1', '7')]);
    });

    it('rejects records without a string id', async () => {
      await expect(store.runs.put({ ...run('x'), id: '' })).rejects.toThrow(/non-empty string id/);
      await expect(store.models.putWithFiles(model('m9'), { safetensors: [1, 2] as unknown as Uint8Array })).rejects.toThrow(/needs safetensors bytes/);
      expect(await store.runs.count()).toBe(0);
    });

    it('surfaces a full store as StorageFullError, and loses nothing stored before', async () => {
      await store.runs.put(run('r1'));
      await store.datasets.put(dataset());
      h.setFull('all');
      const err = await store.runs.put(run('r2')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageFullError);
      expect((err as Error).message).toMatch(/^Storage is full: could not save runs record "r2" \(about [\d.]+ (B|KB)\)\./);
      expect((err as Error).message).toContain('earlier data is intact');
      // Overwriting fails too, and the old version stays.
      await expect(store.runs.put(run('r1', { wallTimeMs: 1 }))).rejects.toBeInstanceOf(StorageFullError);
      await expect(store.runs.putMany([run('r5'), run('r6')])).rejects.toBeInstanceOf(StorageFullError);
      h.setFull('off');
      expect(await store.runs.keys()).toEqual(['r1']);
      expect(await store.runs.get('r1')).toEqual(run('r1'));
      expect(await store.datasets.get('ds1')).toEqual(dataset());
      await store.runs.put(run('r2'));
      expect(await store.runs.keys()).toEqual(['r1', 'r2']);
    });

    it('never half-writes a model whose bytes do not fit', async () => {
      await store.models.putWithFiles(model('m1'), { safetensors: bytes(1000, 5) });
      h.setFull({ largerThan: 4000 });
      const err = await store.models.putWithFiles(model('m1', { metrics: { f1: 1 } }), { safetensors: bytes(8000, 6) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageFullError);
      expect((err as StorageFullError).what).toBe('model "m1"');
      expect((err as StorageFullError).bytes).toBeGreaterThanOrEqual(8000);
      // Small writes still go through while big ones fail.
      await store.runs.put(run('r1'));
      await expect(store.models.putWithFiles(model('m2'), { safetensors: bytes(8000, 7) })).rejects.toBeInstanceOf(StorageFullError);
      h.setFull('off');
      expect(await store.models.get('m1')).toEqual(model('m1'));
      expect((await store.models.getFiles('m1'))!.safetensors).toEqual(bytes(1000, 5));
      expect(await store.models.get('m2')).toBeUndefined();
      expect(await store.models.getFiles('m2')).toBeUndefined();
      expect(await store.runs.keys()).toEqual(['r1']);
    });

    it('reports space and persistence', async () => {
      await store.runs.put(run('r1'));
      const space = await store.estimate();
      for (const v of Object.values(space)) if (v !== undefined) expect(v).toBeGreaterThanOrEqual(0);
      const p = await store.requestPersistence();
      expect(typeof p.supported).toBe('boolean');
      expect(typeof p.persisted).toBe('boolean');
    });
  });
}
