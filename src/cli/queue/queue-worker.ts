/**
 * A queue worker: takes lane jobs from the BullMQ queue, checks each payload, runs the job against a
 * temporary folder store seeded with the payload's snapshot, and returns the records it put or
 * deleted. A bad payload fails that job with the reason; the worker goes on with the next.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { createLane } from '../../lib/pipeline/lane-job';
import { nodeLaneModelSource } from '../../lib/pipeline/node-model-source.node.js';
import type { PipelineEnv } from '../../lib/pipeline/types';
import { openFolderStore } from '../../lib/store/folder.node.js';
import { checkRedis, QUEUE_NAME, redisOptions } from './connection';
import { parsePayload, type QueueResult } from './queue-job';
import { changesSince, encode, seedStore } from './store-snapshot';

export interface QueueWorkerOptions {
  url: string;
  lanes: number;
  say(line: string): void;
  /** Lock and stalled-check period; short in tests so a killed worker's job comes back fast. */
  lockMs?: number;
}

export async function startQueueWorker(o: QueueWorkerOptions): Promise<Worker> {
  await checkRedis(o.url);
  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker(QUEUE_NAME, async (job) => {
    const { job: lane, snapshot } = parsePayload(job.data);
    const dir = await mkdtemp(join(tmpdir(), 'transferscope-queue-'));
    const store = await openFolderStore(dir);
    try {
      await seedStore(store, snapshot);
      const env: PipelineEnv = {
        store,
        modelSource: nodeLaneModelSource('a queue worker'),
      };
      const runner = createLane(env);
      try {
        const result = await runner.run(lane, () => {});
        const changes = await changesSince(store, snapshot);
        o.say(`done ${lane.jobId}`);
        const out: QueueResult = { body: encode({ result, changes }) };
        return out;
      } finally {
        runner.dispose();
      }
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, { connection: redisOptions(o.url), concurrency: o.lanes, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 5 });
  worker.on('failed', (job, e) => o.say(`failed ${job?.name ?? '?'}: ${e.message}`));
  worker.on('error', (e) => o.say(`worker error: ${e.message}`));
  await worker.waitUntilReady();
  o.say(`worker: ready on queue ${QUEUE_NAME} with ${o.lanes} lane(s)`);
  return worker;
}
