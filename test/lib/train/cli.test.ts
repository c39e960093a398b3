/**
 * The `forward` and `train` CLI commands, run as a user would (`tsx src/cli/main.ts …`), once each.
 * (They live here because the CLI is a thin shell over bert/ and train/.)
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as trainCommand, splitUnassigned } from '../../../src/cli/commands/train';
import type { Dataset } from '../../../src/lib/data/schema';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = path.join(ROOT, 'test/fixtures/bert-ref');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const expected = JSON.parse(readFileSync(path.join(FIXTURE, 'expected.json'), 'utf8')) as { sentences: { text: string; input_ids: number[]; tokens: string[]; logits: number[] }[] };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['src/cli/main.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('cli forward', () => {
  it('prints tokens, ids, logits and probabilities for each --text', async () => {
    const [a, b] = expected.sentences;
    const r = await cli(['forward', '--model', FIXTURE, '--text', a.text, '--text', b.text]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { sentences: { text: string; tokens: string[]; input_ids: number[]; logits: number[]; probabilities: number[] }[] };
    expect(out.sentences).toHaveLength(2);
    for (const [i, s] of [a, b].entries()) {
      const got = out.sentences[i];
      expect(Object.keys(got).sort()).toEqual(['input_ids', 'logits', 'probabilities', 'text', 'tokens']);
      expect(got.text).toBe(s.text);
      expect(got.tokens).toEqual(s.tokens);
      expect(got.input_ids).toEqual(s.input_ids);
      got.logits.forEach((z, j) => expect(Math.abs(z - s.logits[j])).toBeLessThan(1e-5));
      expect(got.probabilities[0] + got.probabilities[1]).toBeCloseTo(1, 12);
    }
  });
});

describe('cli train', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ts-cli-train-'));
  const lines: string[] = [];
  for (let i = 0; i < 24; i++) {
    const flood = i % 2 === 0;
    lines.push(JSON.stringify({
      text: flood ? `the river flood reached the bridge ${i}` : `families stay at the school ${i}`,
      labels: flood ? ['flood', 'news'] : ['news'],
      ...(i >= 20 ? { split: 'test' } : {}),
    }));
  }

  it('fine-tunes one task, writes an HF folder and prints metrics and wall time', async () => {
    const data = path.join(dir, 'tiny.jsonl');
    writeFileSync(data, lines.join('\n') + '\n');
    const out = path.join(dir, 'model-out');
    const r = await cli(['train', '--model', FIXTURE, '--data', data, '--task', 'flood', '--lr', '3e-3', '--epochs', '2', '--batch', '8', '--seed', '1', '--out', out, '--test-fraction', '0.25', '--max-length', '32']);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as Record<string, unknown> & { metrics: Record<string, number>; train: { documents: number }; test: { documents: number } };
    // 4 lines are marked test; 25% of the other 20 go to test as well.
    expect(res.test.documents).toBe(4 + 5);
    expect(res.train.documents).toBe(15);
    for (const k of ['precision', 'recall', 'f1', 'accuracy']) expect(res.metrics[k]).toBeGreaterThanOrEqual(0);
    expect(res.metrics.tp + res.metrics.fp + res.metrics.fn + res.metrics.tn).toBe(9);
    expect(res.wall_time_s as number).toBeGreaterThan(0);
    expect(res.examples_seen).toBe(30);
    for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.txt']) expect(existsSync(path.join(out, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(path.join(out, 'config.json'), 'utf8')) as { id2label: Record<string, string> };
    expect(config.id2label).toEqual({ 0: 'not flood', 1: 'flood' });
  });

  it('fails with a non-zero exit naming the malformed line, before loading any model', async () => {
    const data = path.join(dir, 'bad.jsonl');
    writeFileSync(data, [lines[0], lines[1], '{"text": "no labels field"}', lines[2]].join('\n'));
    const r = await cli(['train', '--model', FIXTURE, '--data', data, '--task', 'flood', '--lr', '1e-3', '--epochs', '1', '--batch', '4', '--seed', '1', '--out', path.join(dir, 'never')]);
    expect(r.code).toBe(1); // bad data, not a usage error
    expect(r.stderr).toMatch(/bad\.jsonl, line 3, record #3, field "labels": expected an array of label names/);
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  });

  it('rejects an unknown task and a task without training positives, naming the task', async () => {
    const data = path.join(dir, 'tasks.jsonl');
    writeFileSync(data, [
      JSON.stringify({ text: 'a', labels: ['news'] }),
      JSON.stringify({ text: 'b', labels: ['rare'], split: 'test' }),
      JSON.stringify({ text: 'c', labels: [] }),
    ].join('\n'));
    const common = ['--model', FIXTURE, '--data', data, '--lr', '1e-3', '--epochs', '1', '--batch', '2', '--seed', '1', '--out', path.join(dir, 'never2')];
    await expect(trainCommand([...common, '--task', 'fire'])).rejects.toThrow(/task "fire" does not occur in the labels of .*tasks\.jsonl; labels there: news, rare/);
    await expect(trainCommand([...common, '--task', 'rare'])).rejects.toThrow(/task "rare" of .*tasks\.jsonl cannot be trained and evaluated: no positive documents in train/);
  });

  it('refuses an option outside its range (the experiment contract\'s) with exit 2, naming the option', async () => {
    const data = path.join(dir, 'ranges.jsonl');
    writeFileSync(data, lines.join('\n') + '\n');
    const flags = (epochs = '1') => ['--model', FIXTURE, '--data', data, '--task', 'flood', '--lr', '1e-3', '--epochs', epochs, '--batch', '4', '--seed', '1', '--out', path.join(dir, 'never3')];
    const common = flags();
    const r = await cli(['train', ...common, '--clip', '-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: --clip must be a number ≥ 0 (0 = no clipping), got "-1"');
    await expect(trainCommand([...common, '--weight-decay', '-5'])).rejects.toThrow('--weight-decay must be a number ≥ 0, got "-5"');
    await expect(trainCommand([...common, '--test-fraction', '1'])).rejects.toThrow('--test-fraction must be a fraction in (0, 1), got "1"');
    await expect(trainCommand([...common, '--warmup', '1'])).rejects.toThrow('--warmup must be a fraction in [0, 1), got "1"');
    await expect(trainCommand(flags('1.5'))).rejects.toThrow('--epochs must be an integer ≥ 1, got "1.5"');
    await expect(trainCommand([...common, '--lr', '0'])).rejects.toThrow('--lr must be a number > 0, got "0"');
    expect(existsSync(path.join(dir, 'never3'))).toBe(false);
  });
});

describe('cli train split', () => {
  const ds: Dataset = {
    name: 'd',
    source: { format: 'jsonl', files: ['d.jsonl'], notes: [] },
    tasks: ['flood'],
    docs: Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), text: `t${i}`, labels: i % 4 === 0 ? ['flood'] : [], ...(i < 2 ? { split: 'test' as const } : {}) })),
  };
  const testIds = (seed: number) => splitUnassigned(ds, 'flood', 0.25, seed).filter((d) => d.split === 'test').map((d) => d.id);

  it('splits the unmarked documents by seed, the fraction counted among them, keeping marked ones', () => {
    const a = splitUnassigned(ds, 'flood', 0.25, 1);
    expect(a.map((d) => d.id)).toEqual(ds.docs.map((d) => d.id));
    expect(a.every((d) => d.split === 'train' || d.split === 'test')).toBe(true);
    expect(testIds(1)).toHaveLength(2 + Math.round(18 * 0.25));
    expect(testIds(1).slice(0, 2)).toEqual(['1', '2']);
    expect(testIds(1)).toEqual(testIds(1));
    expect(testIds(1)).not.toEqual(testIds(2));
    // Stratified on the task: the 4 unmarked positives are dealt to both sides.
    const positivesIn = (side: string) => a.filter((d) => d.split === side && d.id !== '1' && d.labels.includes('flood')).length;
    expect(positivesIn('test')).toBeGreaterThanOrEqual(1);
    expect(positivesIn('train')).toBeGreaterThanOrEqual(1);
  });

  it('puts every unmarked document in train for a test fraction of 0', () => {
    expect(splitUnassigned(ds, 'flood', 0, 1).filter((d) => d.split === 'test').map((d) => d.id)).toEqual(['1', '2']);
  });
});
