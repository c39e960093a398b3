import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticJsonl } from '../lib/pipeline/synthetic';
import { exhaustiveFolder, runFolderTexts } from '../lib/search/replay-run-folder';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const dir = mkdtempSync(join(tmpdir(), 'recommend-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = join(dir, 'docs.jsonl');
writeFileSync(data, syntheticJsonl());
// As in experiment.test.ts: one setting per grid, so the tiny fixture model runs in seconds.
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } }, training: { classBalanced: true } }));
const out = join(dir, 'out');
const args = (...more: string[]) => [
  'recommend', '--data', data, '--format', 'jsonl', '--model', FIXTURE, '--out', out, '--spec', specFile,
  '--steps', '4', '--max-docs-per-task', '4', '--deterministic-clock', ...more,
];

interface Result { code: number | null; stdout: string; stderr: string }

function cli(argv: string[], killWhen?: (stderr: string) => boolean): Promise<Result & { signal: NodeJS.Signals | null }> {
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

describe('recommend CLI', () => {
  it('refuses a bad budget with a usage error before doing anything', async () => {
    for (const [flags, message] of [
      [['--budget', '0'], /--budget must be an integer ≥ 1/],
      [['--budget-fraction', '1.5'], /--budget-fraction must be a fraction in \(0, 1\]/],
      [['--budget', '1', '--budget-fraction', '0.5'], /exactly one of --budget N/],
      [[], /exactly one of --budget N/],
    ] as const) {
      const r = await cli(args('--target', 'flood', ...flags).map((a) => (a === out ? join(dir, 'never') : a)));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('trains fewer transfers than candidates under the budget, prints the ranking with intervals, and a second run trains nothing new', async () => {
    const first = await cli(args('--target', 'flood', '--budget', '1'));
    expect(first.code, first.stderr).toBe(0);
    const ran = doneJobs(first.stderr);
    expect(ran.filter((id) => id.startsWith('single/'))).toHaveLength(3);
    expect(ran).toContain('features');
    const transfers = ran.filter((id) => id.startsWith('transfer/'));
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatch(/^transfer\/(fire|aid)\/flood\//);
    expect(ran.some((id) => id.startsWith('regressor/') || id === 'analysis')).toBe(false);

    const r = JSON.parse(first.stdout);
    expect(r.target).toBe('flood');
    expect(r.ranking.map((x: { source: string }) => x.source).sort()).toEqual(['aid', 'fire']);
    for (const x of r.ranking) {
      expect(Object.keys(x)).toEqual(['source', 'predicted_f1', 'interval', 'measured_f1']);
      expect(x.interval[0]).toBeGreaterThanOrEqual(0);
      expect(x.interval[1]).toBeLessThanOrEqual(1);
    }
    expect(r.trained).toHaveLength(1);
    expect(transfers[0]).toContain(`transfer/${r.trained[0]}/flood/`);
    expect(r.ranking.filter((x: { measured_f1: number | null }) => x.measured_f1 !== null).map((x: { source: string }) => x.source)).toEqual(r.trained);
    expect(r.stop).toBe('budget');
    expect(r.best).toMatchObject({ source: expect.any(String), f1: expect.any(Number), interval: expect.any(Array) });
    expect(Object.keys(r.cost)).toEqual(expect.arrayContaining(['singles_ms', 'conductance_ms', 'transfers_ms', 'exhaustive_estimate_ms']));
    expect(r.cost.transfers_ms).toBeGreaterThan(0);
    expect(r.cost.exhaustive_estimate_ms).toBeGreaterThan(r.cost.singles_ms + r.cost.conductance_ms + r.cost.transfers_ms);
    expect(r.rows_used).toMatchObject({ target_measured: 1, this_run_other_targets: 0, priors: {} });

    const second = await cli(args('--target', 'flood', '--budget', '1'));
    expect(second.code, second.stderr).toBe(0);
    expect(doneJobs(second.stderr)).toEqual([]);
    const again = JSON.parse(second.stdout);
    expect(again.trained_now).toEqual([]);
    expect(r.trained_now).toEqual(r.trained);
    expect({ ...again, trained_now: r.trained_now }).toEqual(r);
  });

  it('killed while training its first transfer and run again, trains that source once and gives the same answer', async () => {
    const killedOut = join(dir, 'killed');
    const argv = args('--target', 'flood', '--budget', '1').map((a) => (a === out ? killedOut : a));
    const first = await cli(argv, (stderr) => /^recommend flood: next /m.test(stderr));
    expect(first.signal).toBe('SIGKILL');
    expect(doneJobs(first.stderr).filter((id) => id.startsWith('transfer/'))).toEqual([]);
    const second = await cli(argv);
    expect(second.code, second.stderr).toBe(0);
    const ran = doneJobs(second.stderr);
    expect(ran.filter((id) => id.startsWith('single/'))).toEqual([]);
    expect(ran.filter((id) => id.startsWith('transfer/'))).toHaveLength(1);
    const r = JSON.parse(second.stdout);
    expect(r.trained).toHaveLength(1);
    // The same store and settings as the uninterrupted run in --out: the same pick.
    const uninterrupted = JSON.parse((await cli(args('--target', 'flood', '--budget', '1'))).stdout);
    expect(r.trained).toEqual(uninterrupted.trained);
  });

  it('gives the same answer on 2 lanes as on 1, and refuses --lanes 0 with a usage error', async () => {
    const on = (lanes: string) => cli(args('--target', 'flood', '--budget', '1', '--lanes', lanes).map((a) => (a === out ? join(dir, `lanes-${lanes}`) : a)));
    const [one, two] = [await on('1'), await on('2')];
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toMatch(/^lanes: 2 \(worker threads\)$/m);
    expect(one.stderr).not.toMatch(/^lanes: /m);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    const zero = await on('0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--lanes/);
  });

  it('a later target learns from the transfers measured into an earlier one', async () => {
    const r = await cli(args('--target', 'fire', '--budget-fraction', '0.5'));
    expect(r.code, r.stderr).toBe(0);
    const fire = JSON.parse(r.stdout);
    expect(fire.trained).toHaveLength(1);
    expect(fire.rows_used.this_run_other_targets).toBe(1);
    expect(doneJobs(r.stderr).filter((id) => id.startsWith('transfer/'))).toHaveLength(1);
  });

  it('refuses an unknown target listing the tasks, and a target without enough positives with the reason', async () => {
    const unknown = await cli(args('--target', 'nope', '--budget', '1'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--target nope: the data has no task "nope"; its tasks: aid, fire, flood \(left out: rare\)/);
    const rare = await cli(args('--target', 'rare', '--budget', '1'));
    expect(rare.code).toBe(2);
    expect(rare.stderr).toMatch(/--target rare: refused: .*positives? in train \(needs 10\)/);
  });
});

/** An experiment output folder of another data set (tasks p, q, r and one named like our target). */
function priorFolder(name: string, featureNames: string[], model: { description: string; fingerprint: string } | null): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const texts = runFolderTexts(exhaustiveFolder(['p', 'q', 'r', 'flood'], (s, t) => ({ value: 0.5, ms: 10, features: Object.fromEntries(featureNames.map((f) => [f, s.length + t.length / 10])) }), () => 0.4, featureNames));
  writeFileSync(join(folder, 'runs.csv'), texts.runsCsv);
  writeFileSync(join(folder, 'features.csv'), texts.featuresCsv);
  const summary = JSON.parse(texts.summaryJson);
  writeFileSync(join(folder, 'summary.json'), JSON.stringify(model ? { ...summary, model } : summary));
  return folder;
}

describe('recommend --prior', () => {
  it('uses a prior\'s rows (not those into a task named like the target), warning about a missing feature and another base model', async () => {
    const prior = priorFolder('prior-f1', ['f1_source', 'f1_target'], { description: 'another-bert', fingerprint: 'ffffffffffffffff' });
    const r = await cli(args('--target', 'flood', '--budget', '1', '--prior', prior));
    expect(r.code, r.stderr).toBe(0);
    const rec = JSON.parse(r.stdout);
    // 4 tasks → 12 pairs, 3 of them into "flood".
    expect(rec.rows_used.priors).toEqual({ [prior]: 9 });
    expect(rec.rows_used.dropped_rows_into_target).toBe(3);
    expect(rec.rows_used.features).toBe(2);
    expect(r.stderr).toMatch(/^warning: prior .*prior-f1 lacks \d+ feature\(s\) of this run .*the regressor uses only the 2 shared ones$/m);
    expect(r.stderr).toMatch(/^warning: prior .*prior-f1 was made with another base model \(another-bert, fingerprint ffffffffffffffff; .*\): used, because /m);
    expect(rec.rows_used.warnings).toHaveLength(2);
    expect(doneJobs(r.stderr)).toEqual([]);
  });

  it('refuses a prior that shares no pair feature with this run', async () => {
    const prior = priorFolder('prior-other', ['something_else'], null);
    const r = await cli(args('--target', 'flood', '--budget', '1', '--prior', prior));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prior .*prior-other: refused: it shares no pair feature with this run \(it has something_else; /);
  });
});
