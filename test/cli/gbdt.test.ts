import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { run } from '../../src/cli/commands/gbdt';
import { fromXgboostJson } from '../../src/lib/gbdt/xgboost-json';

const FIX = fileURLToPath(new URL('../fixtures/gbdt/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gbdt-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

describe('gbdt fit / predict', () => {
  it('fits the v2 fixture with its params.json and predicts XGBoost\'s test predictions', async () => {
    const out = join(dir, 'v2.json');
    const summary = (await run(['fit', '--train', FIX + 'train.csv', '--target', 'target', '--params', FIX + 'params_v2.json', '--out', out, '--importance', 'gain'])) as any;
    expect(summary).toMatchObject({ out, treeMethod: 'exact', rows: 240, features: 12, rounds: 100, trees: 100 });
    expect(summary.trainRmse).toBeCloseTo(JSON.parse(readFileSync(FIX + 'expected_pred_v2.json', 'utf8')).train_rmse, 5);
    expect(summary.timeMs).toBeGreaterThan(0);
    expect(Object.keys(summary.importance.values)).toContain('x1');
    expect(fromXgboostJson(readFileSync(out, 'utf8')).featureNames).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'x11']);
    // test.csv also has the target column: the model's feature names pick the right columns.
    const pred = (await run(['predict', '--model', out, '--data', FIX + 'test.csv'])) as { predictions: number[] };
    const expected = JSON.parse(readFileSync(FIX + 'expected_pred_v2.json', 'utf8')).test_predictions;
    expect(maxAbsDiff(pred.predictions, expected)).toBeLessThanOrEqual(1e-5);
  });

  it('predicts with a model saved by XGBoost itself (no feature names: columns by position)', async () => {
    const header = 'x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,x11';
    const rows = readFileSync(FIX + 'test.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 12).join(','));
    const data = write('test-features.csv', [header, ...rows].join('\n') + '\n');
    const pred = (await run(['predict', '--model', FIX + 'xgb_model.json', '--data', data])) as { predictions: number[] };
    const expected = JSON.parse(readFileSync(FIX + 'expected_pred.json', 'utf8')).test_predictions;
    expect(maxAbsDiff(pred.predictions, expected)).toBeLessThanOrEqual(1e-5);
    await expect(run(['predict', '--model', FIX + 'xgb_model.json', '--data', FIX + 'test.csv'])).rejects.toThrow(
      /test\.csv: the model has no feature names and expects exactly 12 columns, the CSV has 13/,
    );
  });

  it('hist with early stopping on a validation CSV', async () => {
    const params = write('hist.json', JSON.stringify({ tree_method: 'hist', n_estimators: 400, learning_rate: 0.3, early_stopping_rounds: 5 }));
    const summary = (await run(['fit', '--train', FIX + 'train.csv', '--valid', FIX + 'test.csv', '--target', 'target', '--params', params, '--out', join(dir, 'h.json')])) as any;
    expect(summary.treeMethod).toBe('hist');
    expect(summary.rounds).toBeLessThan(400);
    expect(summary.trees).toBe(summary.bestIteration + 1);
    const baseline = JSON.parse(readFileSync(FIX + 'expected_pred.json', 'utf8')).baseline_rmse_predict_train_mean;
    expect(summary.validRmse).toBeLessThan(0.6 * baseline);
  });

  describe('bad input names the file, row and column', () => {
    const header = 'a,b,target\n';
    const fit = (train: string, params?: string) =>
      run(['fit', '--train', train, '--target', 'target', '--out', join(dir, 'bad.json'), ...(params ? ['--params', params] : [])]);
    it('non-numeric cell', async () => {
      await expect(fit(write('nonnum.csv', header + '1,2,3\n4,five,6\n'))).rejects.toThrow(/nonnum\.csv, row 2 \(line 3\), column "b": "five" is not a number/);
    });
    it('missing target column', async () => {
      await expect(fit(write('notarget.csv', 'a,b,y\n1,2,3\n'))).rejects.toThrow(/notarget\.csv: target column "target" not found; columns: a, b, y/);
    });
    it('NaN target', async () => {
      await expect(fit(write('nantarget.csv', header + '1,2,3\n4,5,NaN\n'))).rejects.toThrow(/nantarget\.csv, row 2 \(line 3\), column "target": the target is missing/);
      await expect(fit(write('emptytarget.csv', header + '1,2,\n'))).rejects.toThrow(/emptytarget\.csv, row 1 \(line 2\), column "target"/);
    });
    it('empty file', async () => {
      await expect(fit(write('empty.csv', ''))).rejects.toThrow(/empty\.csv: the file is empty/);
    });
    it('ragged rows', async () => {
      await expect(fit(write('ragged.csv', header + '1,2,3\n4,5\n'))).rejects.toThrow(/ragged\.csv, row 2 \(line 3\): has 2 fields, the header has 3 \(no value for column "target"\)/);
    });
    it('unknown parameter name', async () => {
      const ok = write('ok.csv', header + '1,2,3\n4,5,6\n');
      await expect(fit(ok, write('p.json', '{"params": {"max_dept": 3}}'))).rejects.toThrow(/p\.json: unknown parameter "max_dept"/);
      await expect(fit(ok, write('p2.json', '{"n_estimators": "ten"}'))).rejects.toThrow(/p2\.json: n_estimators must be a finite number, got "ten"/);
    });
    it('missing options and unknown subcommands are usage errors', async () => {
      await expect(run(['fit', '--train', 'x.csv'])).rejects.toThrow(/--target is required/);
      await expect(run(['train'])).rejects.toThrow(/expected "fit" or "predict", got "train"/);
      await expect(run(['predict', '--model', join(dir, 'nope.json'), '--data', 'x.csv'])).rejects.toThrow(/cannot read model/);
    });
  });

  it('the real CLI exits non-zero with the message on stderr', () => {
    const bad = write('cli-bad.csv', 'a,target\n1,2\nx,3\n');
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'gbdt', 'fit', '--train', bad, '--target', 'target', '--out', join(dir, 'o.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/cli-bad\.csv, row 2 \(line 3\), column "a": "x" is not a number/);
    expect(res.stdout).toBe('');
  });
});
