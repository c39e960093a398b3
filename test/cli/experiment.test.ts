import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/args';
import { run } from '../../src/cli/commands/experiment';
import { fileNameOf } from '../../src/lib/store/folder.node.js';
import { syntheticJsonl } from '../lib/pipeline/synthetic';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const dir = mkdtempSync(join(tmpdir(), 'experiment-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = join(dir, 'docs.jsonl');
writeFileSync(data, syntheticJsonl());
// One setting per grid; a large learning rate and class-balanced loss so the random fixture model learns a little.
const specFile = join(dir, 'spec.json');
writeFileSync(specFile, JSON.stringify({ grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } }, training: { classBalanced: true } }));
const args = (out: string) => [
  'experiment', '--data', data, '--format', 'jsonl', '--model', FIXTURE, '--out', out, '--spec', specFile,
  '--steps', '4', '--max-docs-per-task', '4', '--deterministic-clock',
  // One lane: these tests follow the plan order (test/cli/experiment-lanes.test.ts covers more lanes).
  '--lanes', '1',
];
const OUTPUTS = ['runs.csv', 'features.csv', 'table1.csv', 'rmse_at_k.csv', 'runtime_at_k.csv', 'headline.csv', 'summary.json'];

interface Result { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs the CLI in its own Node process; `killWhen` gets stderr so far and says when to SIGKILL it. */
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

/** Ids of the jobs a run reported as done, in order. */
const doneJobs = (stderr: string) => [...stderr.matchAll(/^\[\d+\/\d+\] done (\S+) /gm)].map((m) => m[1]);

const uninterrupted = join(dir, 'uninterrupted');

describe('experiment CLI', () => {
  it('runs the whole experiment and writes every output; the summary on stdout is summary.json', async () => {
    const r = await cli(args(uninterrupted));
    expect(r.stderr).not.toMatch(/^error:/m);
    expect(r.code).toBe(0);
    for (const f of OUTPUTS) expect(existsSync(join(uninterrupted, f)), f).toBe(true);
    expect(existsSync(join(uninterrupted, 'store', 'store.json'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(uninterrupted, 'summary.json'), 'utf8'));
    expect(JSON.parse(r.stdout)).toEqual(summary);
    expect(summary.clock).toBe('work');
    // Every warning of summary.json is printed on stderr.
    const printed = [...r.stderr.matchAll(/^warning \(([a-z-]+)(?:, ([^)]+))?\): (.*)$/gm)].map((m) => ({ kind: m[1], task: m[2] ?? null, message: m[3] }));
    expect(printed).toEqual(summary.warnings);
    expect(summary.counts).toMatchObject({ tasks: 3, pairs: 6, singleRuns: 3, transferRuns: 6, jobs: 21 });
    expect(summary.tasks.excluded).toEqual([{ task: 'rare', reason: expect.stringMatching(/positives? in train \(needs 10\)/) }]);
    expect(r.stderr).toMatch(/^task left out: rare: /m);
    expect(r.stderr).toMatch(/^estimate: [\d.]+ s on wasm/m);
    expect(doneJobs(r.stderr)).toHaveLength(21);
    expect(readFileSync(join(uninterrupted, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 3 + 6);
  });

  it('killed after its third job and run again, finishes with a byte-identical summary.json, training only the remaining jobs', async () => {
    const out = join(dir, 'killed');
    const first = await cli(args(out), (stderr) => /^\[3\/21\] done /m.test(stderr));
    expect(first.signal).toBe('SIGKILL');
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const doneBefore = doneJobs(first.stderr);
    expect(doneBefore.length).toBeGreaterThanOrEqual(3);
    expect(doneBefore.length).toBeLessThan(21);

    const second = await cli(args(out));
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`^resuming: ${doneBefore.length} of 21 jobs already done$`, 'm'));
    const doneAfter = doneJobs(second.stderr);
    // The second run did exactly the jobs the first had not finished: no training twice.
    expect(doneAfter.filter((id) => doneBefore.includes(id))).toEqual([]);
    expect(doneAfter.length + doneBefore.length).toBe(21);
    expect(doneBefore.slice(0, 3).every((id) => id.startsWith('single/'))).toBe(true);
    expect(doneAfter.some((id) => id.startsWith('single/'))).toBe(doneBefore.filter((id) => id.startsWith('single/')).length < 3);
    for (const f of OUTPUTS) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(uninterrupted, f), 'utf8'));

    // A third run finds nothing to do and rewrites the same files.
    const third = await cli(args(out));
    expect(third.code).toBe(0);
    expect(doneJobs(third.stderr)).toEqual([]);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(readFileSync(join(uninterrupted, 'summary.json'), 'utf8'));
  });

  it('refuses a different spec or different data in the same --out, saying what differs', async () => {
    expect(existsSync(join(uninterrupted, 'summary.json')), 'needs the first test\'s output').toBe(true);
    const inProcess = (out: string) => args(out).slice(1);
    const differentPairs = run([...inProcess(uninterrupted), '--pairs', '2']);
    await expect(differentPairs).rejects.toThrow(CliError);
    await expect(run([...inProcess(uninterrupted), '--pairs', '2'])).rejects.toThrow(/was started with a different spec; differences: pairs: \{"kind":"all"\} → \{"kind":"sample","count":2\}/);
    const edited = join(dir, 'edited.jsonl');
    writeFileSync(edited, syntheticJsonl().replace('"id":"d5","text":"', '"id":"d5","text":"edited '));
    const otherData = inProcess(uninterrupted).map((a) => (a === data ? edited : a));
    await expect(run(otherData)).rejects.toThrow(/data set "input" in .* has other content than the data given now \(fingerprint [0-9a-f]{16}, given [0-9a-f]{16}\)/);
  });

  it('--rerun JOB_ID redoes that job and its dependents; a corrupt record is named, and the same command redoes its job', async () => {
    const out = join(dir, 'rerun');
    const first = await cli(args(out));
    expect(first.code, first.stderr).toBe(0);
    const transfer = doneJobs(first.stderr).find((id) => id.startsWith('transfer/'))!;
    const unknown = await cli([...args(out), '--rerun', 'transfer/nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: --rerun: experiment "experiment" has no job "transfer\/nope"; its jobs include: transfer\//m);

    const rerun = await cli([...args(out), '--rerun', transfer]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const redone = [transfer, 'regressor/F1', 'regressor/F1%2BANSAT', 'regressor/F1%2Bbaselines', 'regressor/F1%2BANSAT%2Bbaselines', 'analysis'];
    expect(rerun.stderr).toContain(`rerun: discarded the results of 6 jobs: ${redone.join(', ')}`);
    expect(doneJobs(rerun.stderr)).toEqual(redone);
    for (const f of OUTPUTS) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(uninterrupted, f), 'utf8'));

    // One digit of a stored run changed on disk: the outputs refuse it, nothing is written over.
    const runFile = join(out, 'store', 'runs', fileNameOf(`experiment::${transfer}`));
    const text = readFileSync(runFile, 'utf8');
    writeFileSync(runFile, text.replace(/"examplesSeen":(\d)/, (_m, d: string) => `"examplesSeen":${(Number(d) + 1) % 10}`));
    const summaryBefore = readFileSync(join(out, 'summary.json'), 'utf8');
    const corrupt = await cli(args(out));
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/^error: the stored runs record "experiment::transfer\/.*" \(.*\.rec\) is corrupt: checksum mismatch \(the record was changed after it was written\)$/m);
    expect(corrupt.stderr).toContain(`job ${transfer} (which wrote it) and the 5 jobs depending on it are marked for a re-run; run the same command again to redo them`);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(summaryBefore);
    const again = await cli(args(out));
    expect(again.code, again.stderr).toBe(0);
    expect(doneJobs(again.stderr)).toEqual(redone);
    for (const f of OUTPUTS) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(uninterrupted, f), 'utf8'));
  });

  it('rejects bad flags with usage errors', async () => {
    const out = join(dir, 'bad');
    await expect(run(['--data', data, '--out', out])).rejects.toThrow(/--format is required for --data .*: one of trecis, crisislex, csv, jsonl, demo/);
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--pairs', 'some'])).rejects.toThrow(/--pairs must be "all" or a positive number, got "some"/);
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--grid', 'huge'])).rejects.toThrow(/--grid must be one of tiny, small, paper, got "huge"/);
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--preset', 'huge'])).rejects.toThrow(/--preset must be one of quick, browser, got "huge"/);
    await expect(run(['--data', data, '--format', 'csv', '--out', out, '--merge', 'last'])).rejects.toThrow(/--merge applies to --format trecis only/);
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--clip', '-1'])).rejects.toThrow('--clip must be a number ≥ 0 (0 = no clipping), got "-1"');
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--weight-decay', '-5'])).rejects.toThrow('--weight-decay must be a number ≥ 0, got "-5"');
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--lr', '1e-4,-1'])).rejects.toThrow('--lr must be a number > 0, got "-1"');
    const noSeeds = await run(['--data', data, '--format', 'jsonl', '--out', out, '--seeds', '0']).catch((e: unknown) => e);
    expect(noSeeds).toBeInstanceOf(CliError);
    expect((noSeeds as Error).message).toBe('--seeds must be an integer ≥ 1, got "0"');
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--by', 'tweet'])).rejects.toThrow('--by must be one of duplicates, event, none, got "tweet"');
    const oneEvent = join(dir, 'one-event.jsonl');
    writeFileSync(oneEvent, syntheticJsonl().replace(/"event":"west"/g, '"event":"east"'));
    const byEvent = await run(['--data', oneEvent, '--format', 'jsonl', '--out', join(dir, 'by-event'), '--model', FIXTURE, '--by', 'event', '--no-estimate']).catch((e: unknown) => e);
    expect(byEvent).toBeInstanceOf(CliError);
    expect((byEvent as Error).message).toMatch(/^spec\.split\.by: split by event: the data of data set "one-event\.jsonl" has one event \("east"\); splitting by event needs at least two/);
    // A missing data file is an I/O error (exit 1), not a usage error.
    const missing = await run(['--data', join(dir, 'missing.jsonl'), '--format', 'jsonl', '--out', out, '--model', FIXTURE]).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/^--data .*missing\.jsonl: no such file or folder$/);
    expect(missing).not.toBeInstanceOf(CliError);
  });
});
