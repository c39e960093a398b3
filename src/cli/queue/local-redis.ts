/**
 * A throw-away `redis-server` on 127.0.0.1 and a free port, for the queue's tests and its
 * benchmark: nothing persisted (`--save ''`, no append-only file), never bound to another address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (the OS picks; released before it is returned). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalRedis { port: number; url: string; proc: ChildProcess }

/** Starts redis-server (Debian's `redis-server` on the PATH) and resolves once it accepts connections. */
export async function startLocalRedis(extra: string[] = [], fixedPort?: number): Promise<LocalRedis> {
  const port = fixedPort ?? (await freePort());
  const proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.once('error', (e) => reject(new Error(`redis-server could not start (${e.message}); install it: sudo apt-get install redis-server`)));
    proc.stdout!.on('data', (b: Buffer) => { out += b.toString(); if (/Ready to accept connections/.test(out)) resolve(); });
    proc.once('exit', (c) => reject(new Error(`redis-server exited ${c}: ${out}`)));
  });
  return { port, url: `redis://127.0.0.1:${port}`, proc };
}
