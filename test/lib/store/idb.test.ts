import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { openIdbStore, type StorageLike } from '../../../src/lib/store/idb';
import { SCHEMA, type StoreSchema } from '../../../src/lib/store/schema';
import { StorageFullError, StoreVersionError } from '../../../src/lib/store/errors';
import { approxBytes } from '../../../src/lib/store/size';
import { attribution, experiment, run, SCHEMA_V1, storeContract, v1Attribution, v1Experiment, type FullMode } from './contract';

let dbCounter = 0;
const freshName = () => `transferscope-test-${process.pid}-${++dbCounter}`;

/**
 * A full quota, simulated where the browser reports it: the object store's put throws a
 * DOMException named QuotaExceededError (for every value, or only for large ones).
 */
function quotaSwitch() {
  const proto = IDBObjectStore.prototype;
  const original = proto.put;
  return (mode: FullMode) => {
    if (mode === 'off') { proto.put = original; return; }
    proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (mode === 'all' || approxBytes(value) > mode.largerThan) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.call(this, value, key);
    };
  };
}

const fakeStorage = (): StorageLike & { asked: number } => ({
  asked: 0,
  async estimate() { return { usage: 9.5 * 2 ** 30, quota: 10 * 2 ** 30 }; },
  async persist() { this.asked++; return true; },
  async persisted() { return false; },
});

storeContract('IndexedDB (fake-indexeddb)', async () => {
  const name = freshName();
  return { open: () => openIdbStore({ name }), setFull: quotaSwitch(), cleanup: async () => undefined };
});

describe('IndexedDB store', () => {
  it('has committed a write when put resolves: a second connection sees it', async () => {
    const name = freshName();
    const store = await openIdbStore({ name });
    await store.runs.put(run('r1'));
    const other = await openDB(name);
    expect(await other.get('runs', 'r1')).toEqual({ ...run('r1'), $sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    other.close();
    await store.close();
  });

  it('reports usage and quota from navigator.storage in the full-storage message', async () => {
    const setFull = quotaSwitch();
    const store = await openIdbStore({ name: freshName(), storage: fakeStorage() });
    expect(await store.estimate()).toEqual({ usage: 9.5 * 2 ** 30, quota: 10 * 2 ** 30 });
    setFull('all');
    const err = await store.runs.put(run('r1')).catch((e: unknown) => e);
    setFull('off');
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as Error).message).toContain('9.50 GB of 10.0 GB used, 512 MB free.');
    await store.close();
  });

  it('asks navigator.storage.persist() and reports the answer, or says it cannot', async () => {
    const storage = fakeStorage();
    const store = await openIdbStore({ name: freshName(), storage });
    expect(await store.requestPersistence()).toEqual({ supported: true, persisted: true });
    expect(storage.asked).toBe(1);
    await store.close();
    const bare = await openIdbStore({ name: freshName(), storage: {} });
    expect(await bare.requestPersistence()).toEqual({ supported: false, persisted: false });
    await bare.close();
  });

  it('upgrades an older database: new indexes, migrated records, nothing lost', async () => {
    const name = freshName();
    const v1 = await openIdbStore({ name });
    await v1.runs.putMany([run('r1'), run('r2', { backend: 'webgpu' })]);
    await v1.datasets.put({ id: 'd', savedAt: 'now', dataset: { name: 'n', source: { format: 'csv', files: [], notes: [] }, tasks: [], docs: [] } });
    await v1.close();
    const next = SCHEMA.version + 1;
    const v2: StoreSchema = {
      version: next,
      tables: { ...SCHEMA.tables, runs: [...SCHEMA.tables.runs, 'backend'] },
      migrations: [{ version: next, table: 'runs', description: 'wall time in seconds too', upgrade: (r) => ({ ...r, wallTimeS: (r.wallTimeMs as number) / 1000 }) }],
    };
    const store = await openIdbStore({ name, schema: v2 });
    expect(store.schemaVersion).toBe(next);
    expect(((await store.runs.get('r1')) as unknown as { wallTimeS: number }).wallTimeS).toBeCloseTo(1.2345);
    expect(await store.runs.keysBy('backend' as never, 'webgpu')).toEqual(['r2']);
    expect((await store.datasets.get('d'))?.dataset.name).toBe('n');
    await store.close();
  });

  it('refuses a database written by a newer schema with a clear error', async () => {
    const name = freshName();
    const newer = SCHEMA.version + 1;
    await (await openIdbStore({ name, schema: { ...SCHEMA, version: newer } })).close();
    const err = await openIdbStore({ name }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreVersionError);
    expect((err as Error).message).toBe(`IndexedDB "${name}" was written by a newer TransferScope (store schema ${newer}); this version understands up to schema ${SCHEMA.version}. Update the app, or use another store.`);
  });

  it('leaves the database as it was when a record upgrade fails', async () => {
    const name = freshName();
    const v1 = await openIdbStore({ name });
    await v1.runs.put(run('r1'));
    await v1.close();
    const next = SCHEMA.version + 1;
    const broken: StoreSchema = { ...SCHEMA, version: next, migrations: [{ version: next, table: 'runs', description: 'fails', upgrade: () => { throw new Error('bad migration'); } }] };
    await expect(openIdbStore({ name, schema: broken })).rejects.toThrow(new RegExp(`upgrading the store from schema ${SCHEMA.version} to ${next} failed, nothing was changed: bad migration`));
    const again = await openIdbStore({ name });
    expect(await again.runs.get('r1')).toEqual(run('r1'));
    await again.close();
  });

  it('opens a schema-2 database written without checksums, and seals every record (model bytes included)', async () => {
    const name = freshName();
    const raw = await openDB(name, 2, {
      upgrade(db) {
        for (const [table, indexes] of Object.entries({ ...SCHEMA.tables, modelFiles: [] as readonly string[] })) {
          const s = db.createObjectStore(table, { keyPath: 'id' });
          for (const i of indexes) s.createIndex(i, i);
        }
      },
    });
    await raw.put('runs', run('r1'));
    await raw.put('attributions', attribution('m1', 'd1'));
    await raw.put('models', { id: 'm1', kind: 'single', base: 'b', config: {}, createdAt: 'now' });
    await raw.put('modelFiles', { id: 'm1', safetensors: Uint8Array.from([1, 2, 3]) });
    raw.close();
    const store = await openIdbStore({ name });
    expect(await store.runs.get('r1')).toEqual(run('r1'));
    expect(await store.attributions.get(attribution('m1', 'd1').id)).toEqual(attribution('m1', 'd1'));
    expect((await store.models.getFiles('m1'))!.safetensors).toEqual(Uint8Array.from([1, 2, 3]));
    await store.close();
    const after = await openDB(name);
    for (const [table, id] of [['runs', 'r1'], ['models', 'm1'], ['modelFiles', 'm1']]) {
      expect(await after.get(table, id), table).toHaveProperty('$sha256');
    }
    after.close();
  });

  it('upgrades a schema-1 database: attributions move to ids naming their settings, the analysis leaves the plan', async () => {
    const name = freshName();
    const v1 = await openIdbStore({ name, schema: SCHEMA_V1 });
    await v1.attributions.putMany([v1Attribution('m1', 'd1'), v1Attribution('m1', 'd2')]);
    await v1.experiments.put(v1Experiment('exp1'));
    await v1.close();
    const store = await openIdbStore({ name });
    expect(await store.attributions.keys()).toEqual([attribution('m1', 'd1').id, attribution('m1', 'd2').id]);
    expect(await store.attributions.get(attribution('m1', 'd2').id)).toEqual(attribution('m1', 'd2'));
    expect(await store.attributions.keysBy('modelId', 'm1')).toHaveLength(2);
    expect(await store.experiments.get('exp1')).toEqual({ ...experiment('exp1'), plan: { tasks: ['a', 'b'], grid: 'small' }, analysis: { headline: 'h' } });
    await store.close();
  });
});
