/**
 * Content-addressed blobs in Redis: the queue's way to give workers a job's inputs. A blob's key is
 * the SHA-256 of its bytes, so a blob is uploaded once however many jobs name it, a worker that
 * already holds one never fetches it again, and a fetched blob is checked against its name (a
 * truncated or altered value is refused, not used).
 *
 * Every blob has a TTL (BLOB_TTL_MS), refreshed whenever a job that names it is enqueued: blobs
 * of a finished or abandoned experiment leave Redis on their own, and Redis never needs a clean-up
 * pass. A coordinator that names a blob Redis lost (restarted empty, evicted) uploads it again.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { QUEUE_NAME } from './connection';

/** 24 h: far longer than any job waits in the queue; a long experiment refreshes it with every job. */
export const BLOB_TTL_MS = 24 * 3600 * 1000;

/** One blob's upper size (a model's files are the largest: the bundled model is 7.5 MB). */
export const MAX_BLOB_BYTES = 512 * 1024 * 1024;

/** A named blob is not in Redis (expired, or Redis restarted empty): what named it can be made again. */
export class MissingBlobError extends Error {}

export const blobKey = (hash: string) => `${QUEUE_NAME}:blob:${hash}`;

export const hashOf = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export const isBlobHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/**
 * Makes every blob of `blobs` (hash → its bytes, made only when needed) present in Redis with a
 * fresh TTL: one round trip refreshes those Redis has, a second uploads the others. Returns how many
 * were uploaded.
 */
export async function ensureBlobs(client: Redis, blobs: ReadonlyMap<string, () => Uint8Array>, ttlMs = BLOB_TTL_MS): Promise<number> {
  if (blobs.size === 0) return 0;
  const hashes = [...blobs.keys()];
  const refresh = client.pipeline();
  for (const h of hashes) refresh.pexpire(blobKey(h), ttlMs);
  const answers = (await refresh.exec()) ?? [];
  const missing = hashes.filter((_, i) => {
    const [err, n] = answers[i] ?? [new Error('no answer'), 0];
    if (err) throw err;
    return n === 0;
  });
  if (missing.length === 0) return 0;
  const upload = client.pipeline();
  for (const h of missing) upload.set(blobKey(h), Buffer.from(blobs.get(h)!()), 'PX', ttlMs);
  for (const [err] of (await upload.exec()) ?? []) if (err) throw err;
  return missing.length;
}

/**
 * The bytes of every blob named, each checked against its hash. Throws naming what is missing (with
 * `whatOf(hash)`: the record it stands for) or corrupt: the job then fails with that reason.
 */
export async function fetchBlobs(client: Redis, hashes: readonly string[], whatOf: (hash: string) => string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return out;
  const get = client.pipeline();
  for (const h of unique) get.getBuffer(blobKey(h));
  const answers = (await get.exec()) ?? [];
  unique.forEach((h, i) => {
    const [err, value] = answers[i] ?? [new Error('no answer'), null];
    if (err) throw err;
    if (value === null) throw new MissingBlobError(`blob ${h.slice(0, 12)}… (${whatOf(h)}) is not in Redis (expired, or Redis restarted empty); the coordinator uploads it again when it enqueues the job again`);
    const bytes = value as Buffer;
    if (bytes.length > MAX_BLOB_BYTES) throw new Error(`blob ${h.slice(0, 12)}… (${whatOf(h)}): ${bytes.length} bytes, over the ${MAX_BLOB_BYTES} allowed`);
    if (hashOf(bytes) !== h) throw new Error(`blob ${h.slice(0, 12)}… (${whatOf(h)}): its bytes do not match its hash; refused`);
    out.set(h, bytes);
  });
  return out;
}
