import { describe, expect, it } from 'vitest';
import { readReplayData } from '../../../src/lib/search/replay-input';
import { runFolderTexts, type SyntheticFolder } from './replay-run-folder';

// Pair A→B has two settings × two seeds: setting lr 1e-4 has mean (0.6 + 0.8) / 2 = 0.7, setting
// 2e-4 has mean (0.75 + 0.71) / 2 = 0.73, so its value is 0.73 (not the best single run, 0.8, and
// not the mean of all runs, 0.715). Its cost is 1 + 2 + 3 + 4 = 10.
const folder: SyntheticFolder = {
  singles: [
    { task: 'A', runs: [{ lr: 1e-4, seed: 0, f1: 0.5, ms: 5 }, { lr: 1e-4, seed: 1, f1: 0.3, ms: 6 }] },
    { task: 'B', runs: [{ lr: 1e-4, seed: 0, f1: 0.2, ms: 7 }, { lr: 2e-4, seed: 0, f1: 0.4, ms: 8 }] },
  ],
  pairs: [
    {
      source: 'A', target: 'B', features: { f1_source: 0.4, 'ansat_D_A_0.05': null },
      runs: [
        { lr: 1e-4, seed: 0, f1: 0.6, ms: 1 }, { lr: 1e-4, seed: 1, f1: 0.8, ms: 2 },
        { lr: 2e-4, seed: 0, f1: 0.75, ms: 3 }, { lr: 2e-4, seed: 1, f1: 0.71, ms: 4 },
      ],
    },
    { source: 'B', target: 'A', features: { f1_source: 0.3, 'ansat_D_A_0.05': 0.25 }, runs: [{ lr: 1e-4, seed: 0, f1: 0.45, ms: 9 }] },
  ],
  featureNames: ['f1_source', 'ansat_D_A_0.05'],
  conductanceMs: 123,
};

describe('readReplayData', () => {
  it('values a candidate by its best setting\'s mean over seeds and costs it by all its runs', () => {
    const data = readReplayData(runFolderTexts(folder));
    expect(data.targets.map((t) => t.target)).toEqual(['A', 'B']);
    const b = data.targets[1]!;
    expect(b.candidates).toHaveLength(1);
    expect(b.candidates[0]!.source).toBe('A');
    expect(b.candidates[0]!.value).toBeCloseTo(0.73, 12);
    expect(b.candidates[0]!.costMs).toBe(10);
    expect(b.candidates[0]!.runs).toBe(4);
    // Single-task values, same rule: A's one setting has mean 0.4; B's best setting is 0.4.
    expect(data.targets[0]!.singleValue).toBeCloseTo(0.4, 12);
    expect(b.singleValue).toBeCloseTo(0.4, 12);
    expect(data.singleTaskMs).toBe(5 + 6 + 7 + 8);
    expect(data.conductanceMs).toBe(123);
  });

  it('takes the pair features, not the run columns or the pred_* columns; an empty cell is missing', () => {
    const data = readReplayData(runFolderTexts(folder));
    expect(data.featureNames).toEqual(['f1_source', 'ansat_D_A_0.05']);
    expect(data.targets[1]!.candidates[0]!.features['ansat_D_A_0.05']).toBeNaN();
    expect(data.targets[0]!.candidates[0]!.features).toEqual({ f1_source: 0.3, 'ansat_D_A_0.05': 0.25 });
  });

  it('without summary.json the conductance time is unknown', () => {
    const { runsCsv, featuresCsv } = runFolderTexts(folder);
    expect(readReplayData({ runsCsv, featuresCsv }).conductanceMs).toBeNull();
  });

  it('names file, line and column of a bad cell', () => {
    const t = runFolderTexts(folder);
    const lines = t.runsCsv.split('\n');
    lines[3] = lines[3]!.replace(/,0\.2,/, ',1.7,'); // line 4 = third data row: B's f1 0.2
    expect(() => readReplayData({ ...t, runsCsv: lines.join('\n') })).toThrow('runs.csv, line 4, column "f1": expected a number in [0, 1], got "1.7"');
    const f = t.featuresCsv.split('\n');
    f[1] = f[1]!.replace(/,0\.4,/, ',abc,');
    expect(() => readReplayData({ ...t, featuresCsv: f.join('\n') })).toThrow('features.csv, line 2, column "f1_source": expected a number or an empty cell, got "abc"');
    expect(() => readReplayData({ ...t, summaryJson: '{"timings":{}}' })).toThrow('summary.json, field "timings.conductanceMs"');
  });

  it('refuses a pair without features, a target without a single-task run, and a run folder without transfers', () => {
    const t = runFolderTexts(folder);
    const noBA = t.featuresCsv.split('\n').filter((l) => !l.startsWith('B,A,')).join('\n');
    expect(() => readReplayData({ ...t, featuresCsv: noBA })).toThrow(/features\.csv: no row for the pair B → A \(runs\.csv, line \d+\)/);
    const noSingleB = runFolderTexts({ ...folder, singles: folder.singles.slice(0, 1) });
    expect(() => readReplayData(noSingleB)).toThrow('target "B" has transfer runs but no single-task run');
    const noPairs = runFolderTexts({ ...folder, pairs: [] });
    expect(() => readReplayData(noPairs)).toThrow('no transfer runs');
    expect(() => readReplayData({ ...t, runsCsv: 'kind,task\nsingle,A\n' })).toThrow('runs.csv: missing column(s) "source", "lr"');
  });
});
