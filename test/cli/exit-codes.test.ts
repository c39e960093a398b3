/**
 * The CLI's exit status by class (src/cli/main.ts, README): 0 success; 2 usage errors (unknown
 * command or option, bad option value, missing required option); 1 everything else (bad data, a bad
 * model, I/O). Each class is tried through the real entry point, as a user would.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSafetensors } from '../../src/lib/bert/safetensors';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'exit-codes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A copy of the fixture model with config.json fields replaced, or a weights file replaced. */
function modelWith(name: string, config?: Record<string, unknown>, weights?: Uint8Array): string {
  const out = join(dir, name);
  cpSync(FIXTURE, out, { recursive: true });
  if (config) writeFileSync(join(out, 'config.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')), ...config }));
  if (weights) writeFileSync(join(out, 'model.safetensors'), weights);
  return out;
}

const lines = (docs: { text: string; labels: string[]; split?: string }[]) => docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
const good = join(dir, 'good.jsonl');
writeFileSync(good, lines(Array.from({ length: 12 }, (_, i) => ({ text: `doc ${i} water`, labels: i % 2 ? ['flood'] : [], ...(i < 4 ? { split: 'test' } : {}) }))));
const malformed = join(dir, 'malformed.jsonl');
writeFileSync(malformed, '{"text": "fine", "labels": []}\n{"text": "broken", "labels": [\n');
const allPositive = join(dir, 'all-positive.jsonl');
writeFileSync(allPositive, lines(Array.from({ length: 12 }, (_, i) => ({ text: `doc ${i}`, labels: ['flood'], ...(i < 4 ? { split: 'test' } : {}) }))));
const train = (data: string, extra: string[] = []) => ['train', '--model', FIXTURE, '--data', data, '--task', 'flood', '--lr', '1e-3', '--epochs', '1', '--batch', '4', '--seed', '1', '--out', join(dir, 'never'), ...extra];

describe('CLI exit codes', () => {
  it('0: success', async () => {
    const r = await cli(['forward', '--model', FIXTURE, '--text', 'water rising']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).sentences).toHaveLength(1);
  });

  it('2: unknown command or option, bad option value, missing required option', async () => {
    const results = await Promise.all([
      cli(['fly']),
      cli(['forward', '--model', FIXTURE, '--text', 'x', '--colour', 'red']),
      cli(train(good, ['--epochs', '1.5'])),
      cli(['train', '--data', good]),
    ]);
    const [command, option, value, required] = results;
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(command.stderr).toMatch(/^error: unknown command "fly"/);
    expect(option.stderr).toMatch(/^error: unknown option --colour/);
    expect(value.stderr).toBe('error: --epochs must be an integer ≥ 1, got "1.5"\n');
    expect(required.stderr).toBe('error: --task is required\n');
  });

  it('1: bad data (train and experiment), a degenerate task, a missing or bad model, NaN weights', async () => {
    const weights = new Uint8Array(readFileSync(join(FIXTURE, 'model.safetensors')));
    const file = parseSafetensors(weights);
    const t = file.tensors.get('bert.embeddings.word_embeddings.weight')!;
    new DataView(weights.buffer).setFloat32(file.dataStart + t.begin, Number.NaN, true);
    const [trainData, experimentData, degenerate, noModel, modelIsFile, layers, hidden, nan] = await Promise.all([
      cli(train(malformed)),
      cli(['experiment', '--data', malformed, '--format', 'jsonl', '--model', FIXTURE, '--out', join(dir, 'exp')]),
      cli(train(allPositive)),
      cli(['forward', '--model', join(dir, 'no-such-model'), '--text', 'x']),
      cli(['forward', '--model', good, '--text', 'x']),
      cli(['forward', '--model', modelWith('layers', { num_hidden_layers: 1e9 }), '--text', 'x']),
      cli(['forward', '--model', modelWith('hidden', { hidden_size: 1e9 }), '--text', 'x']),
      cli(['forward', '--model', modelWith('nan', undefined, weights), '--text', 'x']),
    ]);
    for (const r of [trainData, experimentData, degenerate, noModel, modelIsFile, layers, hidden, nan]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stdout).toBe('');
    }
    expect(trainData.stderr).toMatch(/^error: malformed\.jsonl, line 2: this is not valid JSON/);
    expect(experimentData.stderr).toMatch(/^error: --data .*malformed\.jsonl: malformed\.jsonl, line 2: this is not valid JSON/);
    expect(degenerate.stderr).toMatch(/^error: task "flood" of .*all-positive\.jsonl cannot be trained and evaluated: no negative documents in train \(all 6 are positive\); no negative documents in test \(all 6 are positive\)$/m);
    expect(noModel.stderr).toMatch(/^error: folder .*no-such-model: config\.json not found$/m);
    expect(modelIsFile.stderr).toMatch(/^error: .*good\.jsonl is a file; a model folder was expected/);
    expect(layers.stderr).toMatch(/^error: folder .*layers\/config\.json: field "num_hidden_layers" must be an integer in \[1, 128\], got 1000000000$/m);
    expect(hidden.stderr).toMatch(/^error: folder .*hidden\/config\.json: field "hidden_size" must be an integer in \[1, 16384\], got 1000000000$/m);
    expect(nan.stderr).toMatch(/^error: folder .*nan\/model\.safetensors: tensor "bert\.embeddings\.word_embeddings\.weight" holds 1 NaN value \(of 52736\)/m);
  });
});
