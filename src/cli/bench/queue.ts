/**
 * `npm run bench -- queue [--workers 1,2]`: what the job queue costs against local lanes at the same
 * parallelism. For each N, the benchmark experiment of `bench experiment` (bundled model, 600
 * synthetic documents, 3 tasks, 6 pairs) runs from scratch twice: with `--lanes N` in one process,
 * and with `--lanes N --queue` on a throw-away redis-server (127.0.0.1, a free port) served by N
 * `worker --lanes 1` processes started before it. Prints per N both wall times (the coordinator's
 * whole command; the workers' start-up is not counted) and the overhead, queue / local − 1 (the
 * queue issue's goal: ≤ 5 %). Asserts nothing; on a shared machine the figures are noisy.
 * Options: --workers 1,2 · --repeat R (R pairs per N, reported as medians) · --docs N ·
 * --max-train-docs N · --model DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, parseArgs } from '../args';
import { startLocalRedis } from '../queue/local-redis';
import { benchExperimentArgs, runCli, syntheticJsonl } from './experiment';
import { median } from './median';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface WorkerProcess { child: ChildProcess; stderr: () => string }

/** A `worker` process; resolves once it has said it is ready. Its stderr is kept for a failure's message. */
function startWorker(url: string): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--queue', url, '--lanes', '1'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const w: WorkerProcess = { child, stderr: () => err };
  return new Promise((resolve, reject) => {
    const ready = setTimeout(() => resolve(w), 60_000);
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
      if (/ready/i.test(err)) { clearTimeout(ready); resolve(w); }
    });
    child.once('exit', (c) => { clearTimeout(ready); reject(new Error(`worker exited ${c}: ${err.split('\n').slice(-3).join(' | ')}`)); });
  });
}

interface QueueResult {
  workers: number;
  /** Medians over the repeats; `overhead` is the median of each repeat's queue / local − 1. */
  local_wall_s: number;
  queue_wall_s: number;
  overhead: number;
  /** Each repeat's pair, with --repeat > 1. */
  runs?: { local_wall_s: number; queue_wall_s: number; overhead: number }[];
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['workers', 'docs', 'max-train-docs', 'model', 'repeat']);
  const counts = (args.get('workers') ?? '1,2').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`--workers must be a list of integers ≥ 1, got "${s}"`);
    return n;
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-queue-'));
  const data = join(dir, 'docs.jsonl');
  writeFileSync(data, syntheticJsonl(args.int('docs', 600)));
  const maxTrainDocs = args.int('max-train-docs', 400);
  const results: QueueResult[] = [];
  const repeat = args.int('repeat', 1);
  if (repeat < 1) throw new CliError(`--repeat must be an integer ≥ 1, got ${repeat}`);
  try {
    for (const n of counts) {
      const pairs: { local_wall_s: number; queue_wall_s: number; overhead: number }[] = [];
      for (let r = 0; r < repeat; r++) {
        // Local, then queue, for each repeat: a slow spell of the shared machine hits one pair, not one side.
        const out = (side: string) => join(dir, `${side}-${n}-${r}`);
        const local = await runCli([...benchExperimentArgs(data, out('local'), maxTrainDocs, args.get('model')), '--lanes', String(n)]);
        if (local.code !== 0) throw new Error(`the local experiment with --lanes ${n} failed (exit ${local.code}): ${local.stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`);
        // A fresh Redis and fresh workers each time: no blob or replica is left from the repeat before.
        const redis = await startLocalRedis();
        const workers: WorkerProcess[] = [];
        try {
          for (let i = 0; i < n; i++) workers.push(await startWorker(redis.url));
          const queued = await runCli([...benchExperimentArgs(data, out('queue'), maxTrainDocs, args.get('model')), '--lanes', String(n), '--queue', redis.url]);
          if (queued.code !== 0) {
            const said = workers.map((w, i) => `worker ${i + 1}: ${w.stderr().split('\n').filter((l) => l && !l.startsWith('done ')).slice(-4).join(' | ')}`).join('; ');
            throw new Error(`the queued experiment with ${n} worker(s) failed (exit ${queued.code}): ${queued.stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}; ${said}`);
          }
          const l = local.wallMs / 1000;
          const q = queued.wallMs / 1000;
          pairs.push({ local_wall_s: Number(l.toFixed(1)), queue_wall_s: Number(q.toFixed(1)), overhead: Number((q / l - 1).toFixed(3)) });
        } finally {
          for (const w of workers) w.child.kill('SIGTERM');
          redis.proc.kill('SIGKILL');
        }
      }
      results.push({
        workers: n,
        local_wall_s: median(pairs.map((p) => p.local_wall_s)),
        queue_wall_s: median(pairs.map((p) => p.queue_wall_s)),
        overhead: Number(median(pairs.map((p) => p.overhead)).toFixed(3)),
        ...(repeat > 1 ? { runs: pairs } : {}),
      });
    }
    return { bench: 'queue', goal: 'overhead ≤ 0.05', results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
