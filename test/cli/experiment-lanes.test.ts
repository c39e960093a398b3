import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/args';
import { run } from '../../src/cli/commands/experiment';
import { syntheticJsonl } from '../lib/pipeline/synthetic';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const dir = mkdtempSync(join(tmpdir(), 'experiment-lanes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = join(dir, 'docs.jsonl');
writeFileSync(data, syntheticJsonl());
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } }, training: { classBalanced: true } }));
const args = (out: string, lanes: number) => [
  'experiment', '--data', data, '--format', 'jsonl', '--model', FIXTURE, '--out', out, '--spec', specFile,
  '--steps', '4', '--max-docs-per-task', '4', '--deterministic-clock', '--no-estimate', '--lanes', String(lanes),
];
const COMPARED = ['summary.json', 'runs.csv', 'features.csv', 'table1.csv'];

interface Result { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cli(argv: string[], killWhen?: (stderr: string) => boolean): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      if (killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const doneJobs = (stderr: string) => [...stderr.matchAll(/^\[\d+\/\d+\] done (\S+) /gm)].map((m) => m[1]);
const startedLanes = (stderr: string) => new Set([...stderr.matchAll(/^\[\d+\/\d+\] done \S+ \[lane (\d+)\]/gm)].map((m) => m[1]));
const oneLane = join(dir, 'one-lane');

describe('experiment CLI with --lanes', () => {
  it('--lanes 2 gives byte-identical summary.json and runs.csv to --lanes 1, and uses both lanes', async () => {
    const one = await cli(args(oneLane, 1));
    expect(one.code, one.stderr).toBe(0);
    const out = join(dir, 'two-lanes');
    const two = await cli(args(out, 2));
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/^lanes: 2 \(worker threads\)$/m);
    expect(doneJobs(two.stderr)).toHaveLength(21);
    expect([...startedLanes(two.stderr)].sort()).toEqual(['1', '2']);
    for (const f of COMPARED) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(oneLane, f), 'utf8'));
    // The features job ran in a lane and its LogME time still reached the record (the lane sends it back).
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).timings.logmeMs).toBeGreaterThan(0);
  });

  it('killed with jobs in flight on two lanes and run again: no finished job redone, the same results', async () => {
    const out = join(dir, 'killed');
    const first = await cli(args(out, 2), (stderr) => /^\[4\/21\] done /m.test(stderr));
    expect(first.signal).toBe('SIGKILL');
    const before = doneJobs(first.stderr);
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(21);
    const second = await cli(args(out, 2));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`^resuming: ${before.length} of 21 jobs already done$`, 'm'));
    const after = doneJobs(second.stderr);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(after.length + before.length).toBe(21);
    for (const f of COMPARED) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(oneLane, f), 'utf8'));
  });

  it('--lanes 0, negative or non-integer is a usage error; more than the cores is allowed with a warning', async () => {
    for (const bad of ['0', '-2', '1.5', 'many']) {
      const argv = args(join(dir, 'bad'), 1).slice(1).map((a) => (a === '1' ? bad : a));
      await expect(run(argv)).rejects.toThrow(CliError);
      await expect(run(argv)).rejects.toThrow(`--lanes must be an integer ≥ 1, got "${bad}"`);
    }
    const many = await cli([...args(join(dir, 'many'), 64), '--plan-only']);
    expect(many.code, many.stderr).toBe(0);
    expect(many.stderr).toMatch(/^warning: --lanes 64 is more than the \d+ cores of this machine; lanes will share cores$/m);
  });
});
