import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { lockExperiment } from '../../src/cli/experiment-lock';
import { syntheticJsonl } from '../lib/pipeline/synthetic';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const dir = mkdtempSync(join(tmpdir(), 'experiment-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'docs.jsonl');
writeFileSync(data, syntheticJsonl());
const args = (out: string) => ['experiment', '--data', data, '--format', 'jsonl', '--model', FIXTURE, '--out', out, '--grid', 'tiny', '--no-estimate', '--plan-only'];

function cli(argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('experiment CLI lock on --out', () => {
  it('refuses a second process on the same --out at once, naming the holder; runs once it is released', async () => {
    const out = join(dir, 'held');
    mkdirSync(out);
    const release = await lockExperiment(out, () => undefined);
    const refused = await cli(args(out));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`experiment in .*held is being run by process ${process.pid} since \\d{4}-\\d\\d-\\d\\dT[^;]+; wait, or stop it`));
    await release();
    const after = await cli(args(out));
    expect(after.stderr).not.toMatch(/^error:/m);
    expect(after.code).toBe(0);
  }, 60_000);

  it('takes over a stale lock (its process is gone) with a note', async () => {
    const out = join(dir, 'stale');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(out, 'run.lock'), { recursive: true });
    writeFileSync(join(out, 'run.lock', 'owner.json'), JSON.stringify({ pid: dead, host: hostname(), since: '2026-01-01T00:00:00.000Z' }));
    const r = await cli(args(out));
    expect(r.stderr).toContain(`note: taking over the lock of process ${dead} (started 2026-01-01T00:00:00.000Z), which is no longer running`);
    expect(r.code).toBe(0);
  }, 60_000);
});
