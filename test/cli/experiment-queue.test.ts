import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { Redis } from 'ioredis';
import { run as runExport } from '../../src/cli/commands/export';
import { folderSource } from '../../src/lib/bert/file-source.node.js';
import { experimentOutputs } from '../../src/lib/pipeline/outputs';
import { openIdbStore } from '../../src/lib/store/idb';
import { ExchangeService } from '../../src/worker/exchange';
import { freePort, startLocalRedis } from '../../src/cli/queue/local-redis';
import { COORDINATOR_KEY } from '../../src/cli/queue/queue-executor';
import { syntheticJsonl } from '../lib/pipeline/synthetic';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const dir = mkdtempSync(join(tmpdir(), 'experiment-queue-'));
const data = join(dir, 'docs.jsonl');
writeFileSync(data, syntheticJsonl());
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } }, training: { classBalanced: true } }));
const args = (out: string, extra: string[]) => [
  'experiment', '--data', data, '--format', 'jsonl', '--model', FIXTURE, '--out', out, '--spec', specFile,
  '--steps', '4', '--max-docs-per-task', '4', '--deterministic-clock', '--no-estimate', ...extra,
];
const COMPARED = ['summary.json', 'runs.csv', 'features.csv', 'table1.csv'];

const startRedis = (extra: string[] = [], fixedPort?: number) => startLocalRedis(extra, fixedPort);

interface Result { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }
function cli(argv: string[], opts: { env?: Record<string, string>; onStderr?: (s: string, child: ChildProcess) => void } = {}): { child: ChildProcess; done: Promise<Result> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let stdout = '';
  let stderr = '';
  const done = new Promise<Result>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); opts.onStderr?.(stderr, child); });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

const local = join(dir, 'local');
let redis: { port: number; proc: ChildProcess };
let secured: { port: number; proc: ChildProcess };
const workers: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
  secured = await startRedis(['--requirepass', 'right-password']);
  const one = await cli(args(local, ['--lanes', '1'])).done;
  expect(one.code, one.stderr).toBe(0);
}, 60_000);
afterAll(() => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  redis?.proc.kill('SIGKILL');
  secured?.proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const startWorker = (url: string, onStderr?: (s: string, c: ChildProcess) => void) => {
  const w = cli(['worker', '--queue', url], { env: { TRANSFERSCOPE_QUEUE_LOCK_MS: '1500' }, onStderr });
  workers.push(w.child);
  return w;
};

describe('experiment CLI with --queue', () => {
  it('one worker, and a worker killed mid-run with a second finishing: byte-identical results to a local run', async () => {
    const url = `redis://127.0.0.1:${redis.port}`;
    // The first worker dies (SIGKILL) as soon as it has finished 3 jobs, with the next one in flight.
    const first = startWorker(url, (s, c) => { if ((s.match(/^done /gm) ?? []).length >= 3 && c.exitCode === null) c.kill('SIGKILL'); });
    const out = join(dir, 'queued');
    const coordinator = cli(args(out, ['--lanes', '1', '--queue', url]));
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const second = startWorker(url);
    const r = await coordinator.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^queue: 1 job\(s\) at once on redis:\/\/127\.0\.0\.1:\d+$/m);
    second.child.kill('SIGTERM');
    const w2 = await second.done;
    expect(w2.stderr).toMatch(/^done /m);
    for (const f of COMPARED) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(local, f), 'utf8'));
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toMatch(/redis:|127\.0\.0\.1/);

    // The app opens what the queue run finished: `cli export`, then the Export view's import.
    const zip = join(dir, 'queued.zip');
    await runExport(['--out', out, '--to', zip, '--id', 'queued-run']);
    const browser = await openIdbStore({ name: `queue-export-${process.pid}`, storage: {} });
    const modelSource = async () => folderSource(FIXTURE);
    const exchange = new ExchangeService(async () => browser, { env: async () => ({ store: browser, modelSource }) }, modelSource);
    await exchange.importZip(new Uint8Array(readFileSync(zip)), 'queued.zip');
    const files = (await experimentOutputs({ store: browser, modelSource }, 'queued-run')).files;
    for (const f of ['runs.csv', 'features.csv', 'table1.csv']) expect(files[f], f).toBe(readFileSync(join(out, f), 'utf8'));
  }, 120_000);

  it('Redis restarted empty mid-run: the coordinator enqueues again what was lost, and the results are the same', async () => {
    const own = await startRedis();
    const url = `redis://127.0.0.1:${own.port}`;
    let restarted: Promise<{ port: number; proc: ChildProcess }> | undefined;
    // After the worker's second job, Redis dies and comes back empty on the same port.
    const worker = startWorker(url, (s) => {
      if (!restarted && (s.match(/^done /gm) ?? []).length >= 2) {
        own.proc.kill('SIGKILL');
        restarted = new Promise((r) => own.proc.once('exit', () => r(startRedis([], own.port))));
      }
    });
    const out = join(dir, 'restarted');
    const r = await cli(args(out, ['--lanes', '1', '--queue', url])).done;
    expect(r.code, r.stderr).toBe(0);
    // The job in flight is lost with Redis, or the result of one just finished names model files
    // that went with it: either way that job is enqueued again.
    expect(r.stderr).toMatch(/^queue: (job \S+ is no longer in Redis|the result of job \S+ names model files Redis no longer has) \(restarted or emptied\?\): enqueued again$/m);
    worker.child.kill('SIGTERM');
    await worker.done;
    (await restarted!).proc.kill('SIGKILL');
    for (const f of COMPARED) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(local, f), 'utf8'));
  }, 120_000);

  it('the coordinator killed mid-run: the same command again resumes from its store and the queue, with the same results', async () => {
    const own = await startRedis();
    const url = `redis://127.0.0.1:${own.port}`;
    const out = join(dir, 'coordinator-killed');
    let coordinator: ReturnType<typeof cli> | undefined;
    // After the worker's third job, the coordinator dies (SIGKILL) with jobs in flight.
    const worker = startWorker(url, (s) => {
      if (coordinator && (s.match(/^done /gm) ?? []).length >= 3 && coordinator.child.exitCode === null) coordinator.child.kill('SIGKILL');
    });
    coordinator = cli(args(out, ['--lanes', '1', '--queue', url]));
    const killed = await coordinator.done;
    expect(killed.signal).toBe('SIGKILL');
    const again = await cli(args(out, ['--lanes', '1', '--queue', url])).done;
    expect(again.code, again.stderr).toBe(0);
    // Its run.lock and its queue lock were a dead process's: both taken over, with a note.
    expect(again.stderr).toMatch(/no longer running/);
    worker.child.kill('SIGTERM');
    await worker.done;
    own.proc.kill('SIGKILL');
    for (const f of COMPARED) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(local, f), 'utf8'));
  }, 120_000);

  it('a second coordinator on the same queue is refused, naming the first; nothing stored', async () => {
    const url = `redis://127.0.0.1:${redis.port}`;
    const client = new Redis({ host: '127.0.0.1', port: redis.port });
    await client.set(COORDINATOR_KEY, 'lab-machine-7 pid 4242 since 2026-12-04T00:00:00.000Z', 'PX', 20_000);
    const out = join(dir, 'second');
    const t0 = Date.now();
    const r = await cli(args(out, ['--queue', url])).done;
    await client.del(COORDINATOR_KEY);
    client.disconnect();
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already has a coordinator \(lab-machine-7 pid 4242 since 2026-12-04T00:00:00\.000Z\): one coordinator per queue/);
    expect(existsSync(out)).toBe(false);
  }, 20_000);

  it('unreachable Redis: a clear error within 10 s, nothing stored', async () => {
    const port = await freePort();
    const out = join(dir, 'unreachable');
    const t0 = Date.now();
    const r = await cli(args(out, ['--queue', `redis://127.0.0.1:${port}`])).done;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`error: --queue redis://127\\.0\\.0\\.1:${port}: cannot use Redis: .*ECONNREFUSED`));
    expect(existsSync(out)).toBe(false);
  }, 20_000);

  it('wrong password: a clear authentication error within 10 s, password not printed', async () => {
    const out = join(dir, 'wrong-password');
    const t0 = Date.now();
    const r = await cli(args(out, ['--queue', `redis://:wrong-password@127.0.0.1:${secured.port}`])).done;
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot use Redis: authentication failed/);
    expect(r.stderr).not.toMatch(/wrong-password/);
    expect(existsSync(out)).toBe(false);
    const w = await cli(['worker', '--queue', `redis://:wrong-password@127.0.0.1:${secured.port}`]).done;
    expect(w.code).not.toBe(0);
    expect(w.stderr).toMatch(/authentication failed/);
  }, 30_000);
});
