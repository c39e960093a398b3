/**
 * Redis connections for the queue: `redis://[:PASSWORD@]HOST:PORT` or `rediss://` (TLS). A first
 * PING with a short timeout and no retries turns an unreachable or wrong-password Redis into a clear
 * error within seconds, before anything is enqueued or stored.
 */
import { Redis, type RedisOptions } from 'ioredis';

export const QUEUE_NAME = 'transferscope-jobs';
export const QUEUE_FLAG = 'queue';
const CONNECT_TIMEOUT_MS = 5000;

export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try { u = new URL(url); } catch { throw new Error(`--queue must be a redis:// or rediss:// URL, got "${url}"`); }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`--queue must be a redis:// or rediss:// URL, got "${url}"`);
  return {
    host: u.hostname, port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null, // BullMQ's workers block on Redis; they need this
  };
}

/** Connects once and PINGs; throws a message naming the URL (password hidden) and the cause. */
export async function checkRedis(url: string): Promise<void> {
  const shown = url.replace(/\/\/([^@/]*)@/, '//***@');
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (ECONNREFUSED, WRONGPASS…) says more than ioredis's "Connection is closed".
  let cause: Error | undefined;
  client.on('error', (e: Error) => (cause ??= e));
  try {
    await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS + 1000).unref()),
    ]);
  } catch (e) {
    const why = cause?.message ?? (e instanceof Error ? e.message : String(e));
    throw new Error(`--queue ${shown}: cannot use Redis: ${/NOAUTH|WRONGPASS|invalid password|AUTH/i.test(why) ? `authentication failed (${why})` : why}`);
  } finally {
    client.disconnect();
  }
}
