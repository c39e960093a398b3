/**
 * A queue worker: takes lane jobs from the BullMQ queue, checks each payload, brings one of its lane
 * slots' replica stores to the payload's manifest (fetching from Redis only the blobs it lacks), runs
 * the job there and returns the records it put or deleted. A slot keeps its replica and its lane (the
 * experiment opened, the base model loaded) from job to job, as a local lane keeps its session: the
 * job's inputs still come from the manifest and the job alone, never from what the slot ran before.
 * A bad payload fails that job with the reason; the worker goes on with the next.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLane } from '../../lib/pipeline/lane-job';
import { nodeLaneModelSource } from '../../lib/pipeline/node-model-source.node.js';
import type { PipelineEnv } from '../../lib/pipeline/types';
import { openFolderStore } from '../../lib/store/folder.node.js';
import type { Store } from '../../lib/store/store';
import { checkRedis, QUEUE_NAME, redisOptions } from './connection';
import { parsePayload, type QueueResult } from './queue-job';
import { recordingStore } from './recording-store';
import { encode } from './store-changes';
import { filesToBlobs, StoreReplica } from './store-manifest';

export interface QueueWorkerOptions {
  url: string;
  lanes: number;
  say(line: string): void;
  /** Lock and stalled-check period; short in tests so a killed worker's job comes back fast. */
  lockMs?: number;
}

/** One of the worker's lanes: its replica of the coordinator's store and the lane that runs on it. */
interface Slot {
  dir: string;
  store: Store;
  replica: StoreReplica;
  take: ReturnType<typeof recordingStore>['take'];
  lane: ReturnType<typeof createLane>;
}

/** A running worker; `close` waits for the jobs in flight, then removes the replicas. */
export interface QueueWorker { close(): Promise<void> }

export async function startQueueWorker(o: QueueWorkerOptions): Promise<QueueWorker> {
  await checkRedis(o.url);
  const lockMs = o.lockMs ?? 30_000;
  // Like BullMQ's own clients, it waits out a Redis restart instead of failing the job.
  const blobs = new Redis(redisOptions(o.url));
  const free: Slot[] = [];
  const all: Slot[] = [];
  const slot = async (): Promise<Slot> => {
    const idle = free.pop();
    if (idle) return idle;
    const dir = await mkdtemp(join(tmpdir(), 'transferscope-queue-'));
    const store = await openFolderStore(dir);
    const recording = recordingStore(store);
    const env: PipelineEnv = { store: recording.store, modelSource: nodeLaneModelSource('a queue worker') };
    const s: Slot = { dir, store, replica: new StoreReplica(store, blobs), take: recording.take, lane: createLane(env) };
    all.push(s);
    return s;
  };
  const worker = new Worker(QUEUE_NAME, async (job) => {
    const { job: lane, manifest } = parsePayload(job.data);
    const s = await slot();
    try {
      await s.replica.sync(manifest);
      s.take(); // the sync's own writes are not the job's
      const result = await s.lane.run(lane, () => {});
      const changes = await filesToBlobs(blobs, await s.replica.changesOf(s.take()));
      o.say(`done ${lane.jobId}`);
      const out: QueueResult = { body: encode({ result, changes }) };
      return out;
    } catch (e) {
      // A failed job may have left the slot's store or lane half-way: start the next job afresh.
      await dropSlot(s).catch(() => {});
      throw e;
    } finally {
      if (all.includes(s)) free.push(s);
    }
  }, { connection: redisOptions(o.url), concurrency: o.lanes, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 5 });
  const dropSlot = async (s: Slot) => {
    all.splice(all.indexOf(s), 1);
    s.lane.dispose();
    await s.store.close();
    await rm(s.dir, { recursive: true, force: true });
  };
  worker.on('failed', (job, e) => o.say(`failed ${job?.name ?? '?'}: ${e.message}`));
  worker.on('error', (e) => o.say(`worker error: ${e.message}`));
  await worker.waitUntilReady();
  o.say(`worker: ready on queue ${QUEUE_NAME} with ${o.lanes} lane(s)`);
  return {
    async close() {
      await worker.close();
      await Promise.allSettled([...all].map(dropSlot));
      blobs.disconnect();
    },
  };
}
