/**
 * scripts/results/publish.ts: a finished command-line run becomes a committed result folder, with
 * the seven numeric outputs copied byte for byte, the replay of the search strategies, where and
 * how it ran, and (--bundle) the app's demo zip without models or data set. An unfinished run is
 * refused with the file it lacks.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runExperimentCli } from '../../src/cli/commands/experiment';
import { main, PUBLISHED_FILES } from '../../scripts/results/publish';
import { syntheticJsonl } from '../lib/pipeline/synthetic';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'publish-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'run');

beforeAll(async () => {
  const data = join(dir, 'docs.jsonl');
  writeFileSync(data, syntheticJsonl());
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } } }));
  await runExperimentCli(['--data', data, '--format', 'jsonl', '--model', join(ROOT, 'models', 'fixture-tiny'), '--out', out, '--spec', spec,
    '--steps', '4', '--max-docs-per-task', '3', '--deterministic-clock', '--lanes', '1']);
}, 240_000);

describe('results publish', () => {
  it('copies the outputs, replays them and bundles the zip', async () => {
    const dest = join(dir, 'published');
    const r = await main(['--run', out, '--name', 'tiny', '--dest', dest, '--commit', 'abc123', '--started', new Date(Date.now() - 60_000).toISOString(), '--bundle']) as { run: { wall_s: number; machine: { cores: number } } };
    for (const f of PUBLISHED_FILES) expect(readFileSync(join(dest, f), 'utf8'), f).toBe(readFileSync(join(out, f), 'utf8'));
    const replay = JSON.parse(readFileSync(join(dest, 'replay.json'), 'utf8')) as { strategies: Record<string, unknown> };
    expect(Object.keys(replay.strategies)).toEqual(expect.arrayContaining(['guided', 'random', 'oracle']));
    const info = JSON.parse(readFileSync(join(dest, 'run.json'), 'utf8')) as { commit: string; wall_s: number };
    expect(info.commit).toBe('abc123');
    expect(info.wall_s).toBeGreaterThan(0);
    expect(r.run.machine.cores).toBeGreaterThan(0);
    const zip = unzipSync(new Uint8Array(readFileSync(join(dest, 'experiment.zip'))));
    expect(JSON.parse(strFromU8(zip['transferscope/manifest.json'])).experimentId).toBe('bundled-tiny-reference');
    expect(zip['transferscope/dataset.json']).toBeUndefined();
    expect(zip['transferscope/attributions.json']).toBeDefined();
    expect(existsSync(join(out, 'run.lock'))).toBe(false);
  });

  it('refuses a run that has not finished', async () => {
    const empty = join(dir, 'empty');
    await expect(main(['--run', empty, '--name', 'x', '--dest', join(dir, 'x')])).rejects.toThrow(/has no runs\.csv; has the experiment finished/);
  });
});
