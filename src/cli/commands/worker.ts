/**
 * `worker --queue redis://HOST:PORT [--lanes N]`: runs experiment jobs from the queue until stopped
 * (SIGINT/SIGTERM close it after the jobs in flight). See README "Run on several machines".
 */
import { initBackend } from '../../lib/runtime/backend.node.js';
import { parseArgs, CliError } from '../args';
import { QUEUE_FLAG } from '../queue/connection';
import { startQueueWorker } from '../queue/queue-worker';

export const usage = `usage: npm run cli -- worker --queue redis://[:PASSWORD@]HOST:PORT [--lanes N] [--backend wasm|cpu]`;

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, [QUEUE_FLAG, 'lanes', 'backend']);
  const url = args.get(QUEUE_FLAG);
  if (url === undefined) throw new CliError(`--queue is required\n${usage}`);
  const lanesText = args.get('lanes') ?? '1';
  const lanes = Number(lanesText);
  if (!Number.isInteger(lanes) || lanes < 1) throw new CliError(`--lanes must be an integer ≥ 1, got "${lanesText}"`);
  const lockText = process.env.TRANSFERSCOPE_QUEUE_LOCK_MS;
  await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  const say = (line: string) => process.stderr.write(line + '\n');
  let worker;
  try {
    worker = await startQueueWorker({ url, lanes, say, ...(lockText ? { lockMs: Number(lockText) } : {}) });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await worker.close();
  return { status: 'stopped' };
}
