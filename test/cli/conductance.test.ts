import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expected, expectedAnsat, maxAbsDiff } from '../lib/explain/fixture';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BERT_REF = fileURLToPath(new URL('../fixtures/bert-ref/', import.meta.url));
const MODEL_B = fileURLToPath(new URL('../fixtures/ansat/model_b.safetensors', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'conductance-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface CliResult { code: number | null; stdout: string; stderr: string }

/** `npx tsx src/cli/main.ts …` from the repository root, as a user would run it. */
function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** An HF folder for model B: the fixture-tiny files (bert-ref's config and tokenizer) with B's weights. */
function modelBFolder(): string {
  const b = join(dir, 'model-b');
  const src = join(ROOT, 'models/fixture-tiny');
  mkdirSync(b);
  for (const f of readdirSync(src)) copyFileSync(join(src, f), join(b, f));
  copyFileSync(MODEL_B, join(b, 'model.safetensors'));
  return b;
}

describe('CLI conductance', () => {
  it('prints every layer, the layer mean and the terms of each --text (fixture values)', async () => {
    const [s0, s3] = [expected.sentences[0], expected.sentences[3]];
    const r = await cli(['conductance', '--model', BERT_REF, '--text', s0.text, '--text', s3.text, '--steps', '20', '--method', 'riemann_trapezoid']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      sentences: { tokens: string[]; layers: { raw_token_sums: number[]; normalized: number[] }[]; layer_mean_normalized: number[]; terms: { term: string; score: number }[] }[];
    };
    expect(out.sentences).toHaveLength(2);
    out.sentences.forEach((got, i) => {
      const s = [s0, s3][i];
      const want = s.conductance.riemann_trapezoid_20;
      expect(got.tokens).toEqual(s.tokens);
      expect(got.layers).toHaveLength(2);
      got.layers.forEach((l, j) => {
        expect(maxAbsDiff(l.raw_token_sums, want.layers[j].raw_token_sums)).toBeLessThan(1e-4);
        expect(maxAbsDiff(l.normalized, want.layers[j].normalized)).toBeLessThan(1e-4);
      });
      expect(maxAbsDiff(got.layer_mean_normalized, want.layer_mean_normalized)).toBeLessThan(1e-4);
      expect(got.terms.map((t) => t.term)).toEqual(want.terms.map((t) => t.term));
      expect(maxAbsDiff(got.terms.map((t) => t.score), want.terms.map((t) => t.score))).toBeLessThan(1e-4);
    });
  });

  it('exits non-zero with a clear message when --model is missing or not a folder', async () => {
    const [missing, nowhere] = await Promise.all([
      cli(['conductance', '--text', 'flood']),
      cli(['conductance', '--model', join(dir, 'no-such-model'), '--text', 'flood']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/--model is required/);
    // A missing folder is an I/O error (1), not a usage error (2).
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/--model .*no-such-model: no such folder/);
  });
});

describe('CLI ansat', () => {
  it('prints the 14 thresholds and ANSAT of D_A, D_B, D_AB equal to the fixture', async () => {
    const texts = expected.sentences.map((s) => s.text);
    const sets = Object.fromEntries(Object.entries(expectedAnsat.document_sets).map(([k, idx]) => [k, idx.map((i) => texts[i])]));
    const docs = join(dir, 'docs.json');
    writeFileSync(docs, JSON.stringify(sets));
    const r = await cli(['ansat', '--model-a', join(ROOT, 'models/fixture-tiny'), '--model-b', modelBFolder(), '--docs', docs]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { thresholds: number[]; ansat: Record<string, number[]> };
    expect(out.thresholds).toEqual(expectedAnsat.thresholds);
    expect(out.ansat).toEqual(expectedAnsat.ansat);
  });

  it('names the file and the entry when --docs is malformed', async () => {
    const docs = join(dir, 'bad.json');
    writeFileSync(docs, JSON.stringify({ D_A: ['ok', 3], D_B: [], D_AB: [] }));
    const r = await cli(['ansat', '--model-a', BERT_REF, '--model-b', BERT_REF, '--docs', docs]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--docs .*bad\.json: D_A\[1\] must be a text \(string\), got 3/);
  });
});
