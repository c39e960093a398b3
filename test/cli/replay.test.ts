import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/args';
import { run } from '../../src/cli/commands/replay';
import { exhaustiveFolder, runFolderTexts } from '../lib/search/replay-run-folder';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TASKS = ['t1', 't2', 't3', 't4'];
function writeRun(name: string, withSummary = true): string {
  const texts = runFolderTexts(
    exhaustiveFolder(
      TASKS,
      (s, t) => {
        const v = 0.3 + 0.1 * ((TASKS.indexOf(s) + 2 * TASKS.indexOf(t)) % 4);
        return { value: v, ms: 20, features: { f1_source: 0.5, f1_target: 0.3, 'ansat_D_A_0.05': v } };
      },
      () => 0.25,
      ['f1_source', 'f1_target', 'ansat_D_A_0.05'],
      { conductanceMs: 100 },
    ),
  );
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(join(d, 'runs.csv'), texts.runsCsv);
  writeFileSync(join(d, 'features.csv'), texts.featuresCsv);
  if (withSummary) writeFileSync(join(d, 'summary.json'), texts.summaryJson);
  return d;
}

describe('cli replay', () => {
  it('replays a run folder with the chosen strategies and tolerance', async () => {
    const d = writeRun('a');
    const out = (await run(['--runs', d, '--strategies', 'oracle,random', '--tolerance', '0', '--seeds', '20'])) as { strategies: Record<string, any> };
    expect(Object.keys(out.strategies)).toEqual(['oracle', 'random']);
    // Oracle trains the best source first: 20 of the target's 60 (three sources × 20).
    expect(out.strategies.oracle.share_to_within_tolerance).toEqual({ mean: 20 / 60, ci95: [20 / 60, 20 / 60] });
    expect(out.strategies.random.share_to_within_tolerance.mean).toBeGreaterThan(20 / 60);
    // With overhead: S = 4 single-task runs × 7; oracle pays no conductance.
    expect(out.strategies.oracle.with_overhead.overhead_ms).toBe(28);
    // Beside the strategies: the per-target test of whether the sources differ (one seed here: untestable).
    const effect = (out as unknown as { source_effect: { targets: { target: string; verdict: string }[]; testable: number } }).source_effect;
    expect(effect.targets.map((t) => t.verdict)).toEqual(effect.targets.map(() => 'one seed'));
    expect(effect.testable).toBe(0);
  });

  it('runs without summary.json (then guided\'s overhead is unknown)', async () => {
    const d = writeRun('b', false);
    const out = (await run(['--runs', d, '--strategies', 'guided'])) as { strategies: Record<string, any> };
    expect(out.strategies.guided.with_overhead).toEqual({ unavailable: expect.stringContaining('conductance time is unknown') });
    expect(out.strategies.guided.regret_at_k['1'].mean).toBeGreaterThanOrEqual(0);
  });

  it('refuses bad options as usage errors and names the missing file', async () => {
    const d = writeRun('c');
    await expect(run(['--runs', d, '--tolerance', '2'])).rejects.toThrow(CliError);
    await expect(run(['--runs', d, '--tolerance', 'x'])).rejects.toThrow('--tolerance must be a number');
    await expect(run(['--runs', d, '--seeds', '0'])).rejects.toThrow('--seeds must be a positive integer');
    await expect(run(['--runs', d, '--strategies', 'guided,best'])).rejects.toThrow('unknown strategy "best"');
    await expect(run(['--runs', d, '--strategies', 'random,random'])).rejects.toThrow('"random" is listed twice');
    await expect(run(['--runs', join(dir, 'nope')])).rejects.toThrow('no such folder');
    rmSync(join(d, 'features.csv'));
    await expect(run(['--runs', d])).rejects.toThrow(/cannot read .*features\.csv/);
  });

  it('learns from a --prior folder alone with --context prior; bad --context, --scale or a missing prior are usage errors', async () => {
    const d = writeRun('here');
    const p = writeRun('prior');
    const out = (await run(['--runs', d, '--prior', p, '--context', 'prior', '--scale', 'ranks', '--strategies', 'guided'])) as { strategies: Record<string, any> };
    expect(out.strategies.guided.share_to_within_tolerance.mean).toBeGreaterThan(0);
    await expect(run(['--runs', d, '--context', 'prior'])).rejects.toThrow('--context prior learns from prior runs: give --prior DIR');
    await expect(run(['--runs', d, '--prior', p, '--context', 'all'])).rejects.toThrow('--context must be one of run, prior, both');
    await expect(run(['--runs', d, '--scale', 'log'])).rejects.toThrow('--scale must be one of raw, ranks');
    await expect(run(['--runs', d, '--prior', join(dir, 'nope'), '--context', 'both'])).rejects.toThrow('--prior: no such folder');
  });

  it('is registered in the CLI: JSON on stdout, exit 0', () => {
    const d = writeRun('d');
    const r = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'replay', '--runs', d, '--strategies', 'oracle'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).strategies)).toEqual(['oracle']);
  }, 60_000);
});
