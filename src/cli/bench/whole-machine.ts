/**
 * The whole machine, ours against PyTorch, in one run (`npm run bench -- train --machine N`): N
 * copies of our training step at once, each in its own process with its own wasm backend (what N
 * lanes are: src/lib/pipeline/job-pool.ts gives each lane a thread and a backend of its own), set
 * against PyTorch's best thread setting of one process (torch's and its BLAS's threads, as
 * scripts/bench/torch_train.py names them), measured in the same run, and against N one-thread
 * PyTorch processes at once. Copies start together and do the same work, so
 * their timed steps overlap; each copy's own figure is kept so that a copy that ran alone for part
 * of the time shows.
 */
import { spawn } from 'node:child_process';

export interface CopyRun<T> { output: T; wallMs: number }

/** Runs `command args` and parses the JSON it prints (from the first `{`: npm may print a banner). */
export function runJson<T>(command: string, args: readonly string[], cwd?: string): Promise<CopyRun<T>> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      try {
        resolve({ output: JSON.parse(stdout.slice(stdout.indexOf('{'))) as T, wallMs: performance.now() - t0 });
      } catch (err) {
        reject(new Error(`${command} printed no JSON: ${(err as Error).message}`));
      }
    });
  });
}

/** `n` copies of the same command, started together. */
export function runCopies<T>(n: number, command: string, args: readonly string[], cwd?: string): Promise<CopyRun<T>[]> {
  return Promise.all(Array.from({ length: n }, () => runJson<T>(command, args, cwd)));
}

/** A PyTorch setting as torch_train.py names it ("1", "2", "1x2") and its throughput. */
export interface ThreadSetting { setting: string; examples_per_s: number }

export interface WholeMachine {
  copies: number;
  ours: { examples_per_s_each: number[]; examples_per_s: number };
  torch_best_thread_setting: ThreadSetting;
  /** Each copy on setting "1": torch and its BLAS on one thread. */
  torch_copies: { setting_each: '1'; examples_per_s_each: number[]; examples_per_s: number };
  /** The figure: our N copies against PyTorch's best thread setting of one process. */
  ratio_vs_best_thread_setting: number;
  /** Stricter: against N one-thread PyTorch processes, PyTorch's own whole machine. */
  ratio_vs_torch_copies: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

/** Sums each side's copies and sets ours against PyTorch's best single process and its copies. */
export function wholeMachineOf(ours: readonly number[], torchThreadSettings: readonly ThreadSetting[], torchCopies: readonly number[]): WholeMachine {
  if (ours.length === 0 || torchCopies.length === 0) throw new Error('wholeMachineOf: no copies to sum');
  if (torchThreadSettings.length === 0) throw new Error('wholeMachineOf: no PyTorch thread setting was measured');
  const best = torchThreadSettings.reduce((b, t) => (t.examples_per_s > b.examples_per_s ? t : b));
  const oursTotal = sum(ours);
  const torchTotal = sum(torchCopies);
  return {
    copies: ours.length,
    ours: { examples_per_s_each: ours.map(round2), examples_per_s: round2(oursTotal) },
    torch_best_thread_setting: { setting: best.setting, examples_per_s: round2(best.examples_per_s) },
    torch_copies: { setting_each: '1', examples_per_s_each: torchCopies.map(round2), examples_per_s: round2(torchTotal) },
    ratio_vs_best_thread_setting: round3(oursTotal / best.examples_per_s),
    ratio_vs_torch_copies: round3(oursTotal / torchTotal),
  };
}
