/**
 * The queue executor of the job pool (job-pool.ts): each ready lane job goes to a BullMQ queue on
 * Redis with a snapshot of this store (its inputs); a `worker` process on any machine runs it and
 * returns what it wrote; this coordinator checks that result and writes it into its own store, so the
 * store keeps one writer. Jobs that patch the experiment record (analysis) stay local via canRun.
 */
import { Queue, QueueEvents } from 'bullmq';
import type { JobExecutor } from '../../lib/pipeline/job-pool';
import { LANE_JOB_KINDS, laneOutcome, type LaneJob } from '../../lib/pipeline/lane-job';
import type { Store } from '../../lib/store/store';
import { checkRedis, QUEUE_NAME, redisOptions } from './connection';
import { parseResult, PAYLOAD_VERSION, type QueuePayload } from './queue-job';
import { applyChanges, encode, takeSnapshot } from './store-snapshot';

export interface QueueExecutorOptions {
  url: string;
  store: Store;
  /** Jobs in flight at once: how many the workers together should run. */
  lanes: number;
}

export async function queueExecutor(o: QueueExecutorOptions): Promise<JobExecutor> {
  await checkRedis(o.url);
  const connection = redisOptions(o.url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  await events.waitUntilReady();
  let writes = Promise.resolve();
  return {
    lanes: o.lanes,
    canRun: (job) => LANE_JOB_KINDS.has(job.kind),
    async run(job, inputs) {
      const lane: LaneJob = { experimentId: inputs.experimentId, jobId: job.id, experiment: inputs.experiment, states: { ...inputs.states }, clock: inputs.clock.kind };
      const snapshot = await takeSnapshot(o.store);
      const payload: QueuePayload = { version: PAYLOAD_VERSION, body: encode({ job: lane, snapshot }) };
      // removeOnComplete/Fail: the payload and result leave Redis once the coordinator has them.
      const queued = await queue.add(job.id, payload, { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } });
      const returned: unknown = await queued.waitUntilFinished(events);
      const { result, changes } = parseResult(returned, job.id);
      // One write at a time: a result's changes land whole before the next one's.
      const write = writes.then(() => applyChanges(o.store, changes));
      writes = write.catch(() => {});
      await write;
      return { outcome: laneOutcome(result), elapsedMs: result.elapsedMs };
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}
