/**
 * The queue executor of the job pool (job-pool.ts): each ready lane job goes to a BullMQ queue on
 * Redis with the manifest of this store (its inputs, by content hash; the blobs go to Redis once:
 * store-manifest.ts); a `worker` process on any machine runs it and returns what it wrote; this
 * coordinator checks that result and writes it into its own store, so the store keeps one writer.
 * Jobs that patch the experiment record (analysis) stay local via canRun.
 *
 * Two faults BullMQ does not cover are handled here:
 * - Redis restarted empty (or a job removed by hand): each job in flight is looked up every
 *   `watchMs`; one Redis no longer knows is enqueued again from the payload this coordinator still has.
 *   The job's state is read from Redis, not only from the event stream, which restarts with Redis.
 * - Two coordinators on one queue would each write results into their own store and enqueue the
 *   same jobs: a coordinator holds a lock key in Redis (SET NX with a TTL it refreshes); a second
 *   one is refused with the holder's name. A killed holder's lock expires after `lockTtlMs`.
 */
import { hostname } from 'node:os';
import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobExecutor } from '../../lib/pipeline/job-pool';
import { LANE_JOB_KINDS, laneOutcome, type LaneJob } from '../../lib/pipeline/lane-job';
import type { Store } from '../../lib/store/store';
import { checkRedis, QUEUE_NAME, redisOptions } from './connection';
import { parseResult, PAYLOAD_VERSION, type QueuePayload } from './queue-job';
import { encode } from './store-changes';
import { MissingBlobError } from './blobs';
import { filesFromBlobs, manifestMaker } from './store-manifest';

export interface QueueExecutorOptions {
  url: string;
  store: Store;
  /** Jobs in flight at once: how many the workers together should run. */
  lanes: number;
  /** How often a job in flight is looked up in Redis (default 5 s). */
  watchMs?: number;
  say?: (line: string) => void;
}

/** Life of the coordinator lock without a refresh (refreshed every third of it). */
const LOCK_TTL_MS = 30_000;

/** The Redis key that says which coordinator uses the queue. */
export const COORDINATOR_KEY = `${QUEUE_NAME}:coordinator`;

/** Thrown when another coordinator holds the queue. */
export class QueueBusyError extends Error {}

/** Whether `holder` (a lock value) names a process of this machine that no longer runs. */
function deadHereHolder(holder: string): boolean {
  const m = /^(.*) pid (\d+) since /.exec(holder);
  if (!m || m[1] !== hostname()) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// Compare-and-set scripts: a lock is only extended, taken over or deleted by the value it holds now.
const REFRESH = "local v = redis.call('get', KEYS[1]) if v == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) elseif not v then return redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) else return 0 end";
const TAKE_OVER = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Takes the coordinator lock or throws naming its holder; returns a release function. A holder on
 * this machine whose process is gone (a killed coordinator, run again at once) is taken over, as the
 * out folder's run.lock is; one on another machine expires `ttlMs` after its last refresh.
 */
async function lockQueue(url: string, ttlMs: number, say: (l: string) => void): Promise<() => Promise<void>> {
  const client = new Redis({ ...redisOptions(url), maxRetriesPerRequest: 3 });
  const me = `${hostname()} pid ${process.pid} since ${new Date().toISOString()}`;
  try {
    if ((await client.set(COORDINATOR_KEY, me, 'PX', ttlMs, 'NX')) !== 'OK') {
      const holder = await client.get(COORDINATOR_KEY);
      if (holder !== null && deadHereHolder(holder) && (await client.eval(TAKE_OVER, 1, COORDINATOR_KEY, holder, me, String(ttlMs))) === 'OK') {
        say(`note: taking over the queue's coordinator lock of ${holder}, which is no longer running`);
      } else {
        throw new QueueBusyError(busyMessage(holder));
      }
    }
  } catch (e) {
    client.disconnect();
    throw e;
  }
  // Refreshed while ours; set again if Redis lost it (restarted empty), never over another's.
  const timer = setInterval(() => void client.eval(REFRESH, 1, COORDINATOR_KEY, me, String(ttlMs)).catch(() => {}), Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return async () => {
    clearInterval(timer);
    await client.eval(RELEASE, 1, COORDINATOR_KEY, me).catch(() => {});
    client.disconnect();
  };
}

/** Refuses early (before a store is opened) when a live coordinator holds the queue; the lock itself is taken by queueExecutor. */
export async function checkQueueFree(url: string): Promise<void> {
  const client = new Redis({ ...redisOptions(url), maxRetriesPerRequest: 3 });
  try {
    const holder = await client.get(COORDINATOR_KEY);
    if (holder !== null && !deadHereHolder(holder)) throw new QueueBusyError(busyMessage(holder));
  } finally {
    client.disconnect();
  }
}

const busyMessage = (holder: string | null) => `queue ${QUEUE_NAME} on this Redis already has a coordinator (${holder ?? 'just released'}): one coordinator per queue; wait for it to finish, or use another Redis (the lock of a coordinator on another machine expires ${LOCK_TTL_MS / 1000} s after it stops)`;

/** Waits for a queued job's return value; enqueues it again (`requeue`) while Redis does not know it. */
async function finished(queue: Queue, events: QueueEvents, first: Job, requeue: () => Promise<Job>, watchMs: number, say: (l: string) => void): Promise<unknown> {
  let job = first;
  for (;;) {
    // The event stream answers fast; the lookup below is the ground truth after a Redis restart.
    const byEvent = job.waitUntilFinished(events).then((v: unknown) => ({ v }), (e: unknown) => ({ e }));
    for (;;) {
      const tick = new Promise<'tick'>((r) => setTimeout(() => r('tick'), watchMs).unref());
      const first = await Promise.race([byEvent, tick]);
      if (first !== 'tick') {
        if ('e' in first) throw first.e;
        return first.v;
      }
      // The state first, and the job (its return value) only once it is finished: a job read
      // before its state would be the one still running, without a return value, if it
      // finished in between (a large payload makes that window seconds long).
      const state = await queue.getJobState(job.id!).catch(() => null);
      if (state === null) continue; // Redis unreachable for now: ioredis reconnects; look again.
      if (state === 'unknown') break; // Redis no longer has it
      if (state === 'completed' || state === 'failed') {
        const stored = await queue.getJob(job.id!).catch(() => null);
        if (!stored) continue;
        if (state === 'completed') return stored.returnvalue;
        throw new Error(stored.failedReason || `queue job ${job.name} failed`);
      }
    }
    say(`queue: job ${job.name} is no longer in Redis (restarted or emptied?): enqueued again`);
    job = await requeue();
  }
}

export async function queueExecutor(o: QueueExecutorOptions): Promise<JobExecutor> {
  await checkRedis(o.url);
  const say = o.say ?? (() => {});
  const release = await lockQueue(o.url, LOCK_TTL_MS, say);
  const connection = redisOptions(o.url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  try {
    await events.waitUntilReady();
  } catch (e) {
    await Promise.allSettled([events.close(), queue.close()]);
    await release();
    throw e;
  }
  // Like BullMQ's own clients, it waits out a Redis restart instead of failing the job.
  const blobs = new Redis(connection);
  const manifests = manifestMaker(o.store, blobs);
  // One store step at a time: a result's changes land whole before the next one's, and a manifest
  // is never made from a half-written result.
  let steps: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const step = steps.then(fn);
    steps = step.catch(() => {});
    return step;
  };
  return {
    lanes: o.lanes,
    canRun: (job) => LANE_JOB_KINDS.has(job.kind),
    async run(job, inputs) {
      const lane: LaneJob = { experimentId: inputs.experimentId, jobId: job.id, experiment: inputs.experiment, states: { ...inputs.states }, clock: inputs.clock.kind };
      // The manifest is made again for a job enqueued again: Redis may have lost its blobs.
      const enqueue = async () => {
        const manifest = await inTurn(() => manifests.make());
        const payload: QueuePayload = { version: PAYLOAD_VERSION, body: encode({ job: lane, manifest }) };
        // removeOnComplete/Fail: the payload and result leave Redis once the coordinator has them.
        return queue.add(job.id, payload, { attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } });
      };
      let queued = await enqueue();
      for (;;) {
        const returned = await finished(queue, events, queued, enqueue, o.watchMs ?? 5000, say);
        const { result, changes } = parseResult(returned, job.id);
        let withFiles;
        try {
          withFiles = await filesFromBlobs(blobs, changes, `queue result of ${job.id}`);
        } catch (e) {
          // Redis lost the model files the result names (restarted empty after the job finished):
          // the result cannot be stored whole, so the job runs again.
          if (!(e instanceof MissingBlobError)) throw e;
          say(`queue: the result of job ${job.id} names model files Redis no longer has (restarted or emptied?): enqueued again`);
          queued = await enqueue();
          continue;
        }
        await inTurn(() => manifests.apply(withFiles));
        return { outcome: laneOutcome(result), elapsedMs: result.elapsedMs };
      }
    },
    async close() {
      await events.close();
      await queue.close();
      blobs.disconnect();
      await release();
    },
  };
}
