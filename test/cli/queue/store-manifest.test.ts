import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKey, hashOf, MissingBlobError } from '../../../src/cli/queue/blobs';
import { startLocalRedis, type LocalRedis } from '../../../src/cli/queue/local-redis';
import { recordingStore } from '../../../src/cli/queue/recording-store';
import { TABLES } from '../../../src/cli/queue/store-changes';
import { filesFromBlobs, filesToBlobs, manifestMaker, StoreReplica } from '../../../src/cli/queue/store-manifest';
import { openFolderStore } from '../../../src/lib/store/folder.node.js';
import type { ModelRecord, RunRecord } from '../../../src/lib/store/records';
import type { Store } from '../../../src/lib/store/store';

const dir = mkdtempSync(join(tmpdir(), 'store-manifest-'));
let redis: LocalRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startLocalRedis();
  client = new Redis(redis.url);
}, 30_000);
afterAll(() => {
  client?.disconnect();
  redis?.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const none = () => Object.fromEntries(TABLES.map((t) => [t, []]));
let n = 0;
const open = () => openFolderStore(join(dir, `s${n++}`));
const model = (id: string, extra: Partial<ModelRecord> = {}): ModelRecord => ({ id, kind: 'single', base: 'b', config: { hidden_size: 4 }, createdAt: '2026-01-01T00:00:00Z', ...extra });
const run = (id: string, f1: number): RunRecord => ({
  id, kind: 'single', task: 't', base: 'b', settings: { lr: 1e-3, epochs: 1, batch: 8, seed: 1 } as RunRecord['settings'],
  metrics: { f1 } as RunRecord['metrics'], wallTimeMs: 1, examplesSeen: 1, createdAt: '2026-01-01T00:00:00Z',
});
const weights = (seed: number) => ({ safetensors: Uint8Array.from({ length: 4096 }, (_, i) => (i * seed) % 251) });

/** Everything a store holds, as comparable plain data. */
async function contents(s: Store) {
  return {
    runs: await s.runs.list(),
    models: await s.models.list(),
    files: Object.fromEntries(await Promise.all((await s.models.keys()).map(async (id) => [id, await s.models.getFiles(id)]))),
  };
}

describe('the queue store manifest', () => {
  it('a replica follows the coordinator store, fetching only what changed', async () => {
    const coord = await open();
    await coord.runs.putMany([run('r1', 0.5), run('r2', 0.6)]);
    await coord.models.putWithFiles(model('m1'), weights(3));
    const maker = manifestMaker(coord, client);
    const replica = new StoreReplica(await open(), client);

    const first = await maker.make();
    expect((await replica.sync(first)).fetched).toBe(4); // 2 runs, the model record, its files
    expect(await contents(replica.store)).toEqual(await contents(coord));
    // The same manifest again: nothing to fetch.
    expect((await replica.sync(await maker.make())).fetched).toBe(0);

    // A changed run (which the coordinator's writer forgets), a deleted run (seen in the ids
    // listed), a new model: the replica fetches those and drops the other.
    await coord.runs.put(run('r1', 0.9));
    maker.forget('runs', 'r1');
    await coord.runs.delete('r2');
    await coord.models.putWithFiles(model('m2'), weights(5));
    expect((await replica.sync(await maker.make())).fetched).toBe(3);
    expect(await contents(replica.store)).toEqual(await contents(coord));
    expect(await replica.store.runs.get('r2')).toBeUndefined();

    // A record changed without its files: the files held stay, nothing else is fetched.
    maker.forget('models', 'm1');
    await coord.models.put(model('m1', { task: 'other' }));
    expect((await replica.sync(await maker.make())).fetched).toBe(1);
    expect(await contents(replica.store)).toEqual(await contents(coord));
  });

  it('uploads each blob once with a TTL, and again when Redis has lost it', async () => {
    const coord = await open();
    await coord.models.putWithFiles(model('m1'), weights(7));
    const maker = manifestMaker(coord, client);
    const m = await maker.make();
    const filesKey = blobKey(m.modelFiles.m1);
    const ttl = await client.pttl(filesKey);
    expect(ttl).toBeGreaterThan(3600_000);
    await client.flushall();
    // The model's files were read once and not kept; a lost blob is read from the store again.
    await maker.make();
    expect(await client.exists(filesKey)).toBe(1);
    const replica = new StoreReplica(await open(), client);
    await replica.sync(await maker.make());
    expect(await replica.store.models.getFiles('m1')).toEqual(weights(7));
  });

  it('refuses a blob that is missing or does not match its hash, naming the record', async () => {
    const coord = await open();
    await coord.runs.put(run('r9', 0.1));
    const m = await manifestMaker(coord, client).make();
    const [[, hash]] = m.records.runs;
    await client.set(blobKey(hash), Buffer.from(serialize(run('r9', 0.99))));
    const replica = new StoreReplica(await open(), client);
    await expect(replica.sync(m)).rejects.toThrow(/runs record r9\): its bytes do not match its hash/);
    await client.del(blobKey(hash));
    await expect(replica.sync(m)).rejects.toThrow(/runs record r9\) is not in Redis/);
    // A missing blob is its own kind: the coordinator enqueues a job again for it, a corrupt one fails.
    await expect(replica.sync(m)).rejects.toBeInstanceOf(MissingBlobError);
    expect(await replica.store.runs.count()).toBe(0);
  });

  it("returns exactly what a job wrote, which the coordinator applies, and counts it as held", async () => {
    const coord = await open();
    await coord.runs.putMany([run('r1', 0.5), run('r2', 0.6)]);
    const maker = manifestMaker(coord, client);
    const base = await open();
    const replica = new StoreReplica(base, client);
    const recording = recordingStore(base);
    await replica.sync(await maker.make());
    recording.take();
    // The job, through the recording store: a new run, a model with files, a deletion, an update.
    const s = recording.store;
    await s.runs.put(run('r3', 0.7));
    await s.models.putWithFiles(model('m3'), weights(11));
    await s.runs.delete('r2');
    await s.runs.update('r1', (r) => r && { ...r, metrics: { f1: 0.55 } as RunRecord['metrics'] });
    await s.runs.get('r1'); // a read is not a write
    const changes = await replica.changesOf(recording.take());
    expect(changes.put.runs.map((r) => r.id).sort()).toEqual(['r1', 'r3']);
    expect(changes.deleted.runs).toEqual(['r2']);
    expect(changes.modelFiles.m3).toEqual(weights(11));
    expect(recording.take().put.runs.size).toBe(0);

    await maker.apply(changes);
    expect(await contents(coord)).toEqual(await contents(base));
    // What the job wrote is held already: the next manifest fetches nothing.
    expect((await replica.sync(await maker.make())).fetched).toBe(0);
  });

  it("a result's model files go through Redis as blobs and come back checked", async () => {
    const changes = { put: { ...none(), models: [model('m7')] }, deleted: none(), modelFiles: { m7: weights(13) } };
    const wire = await filesToBlobs(client, changes as never);
    expect(wire.modelFiles.m7).toMatch(/^[0-9a-f]{64}$/);
    expect((await filesFromBlobs(client, wire, 'job x')).modelFiles.m7).toEqual(weights(13));
    await client.set(blobKey(wire.modelFiles.m7), Buffer.from(serialize({ nope: 1 })));
    await expect(filesFromBlobs(client, wire, 'job x')).rejects.toThrow(/files of model m7 from job x\): its bytes do not match its hash/);
  });

  it('a blob is named by its content', () => {
    const a = serialize(run('x', 0.1));
    expect(hashOf(a)).toBe(hashOf(Buffer.from(a)));
    expect(hashOf(a)).not.toBe(hashOf(serialize(run('x', 0.2))));
  });
});
