import { describe, expect, it } from 'vitest';
import { bestSingleTask, bestTransferPerTarget, table1 } from '../../../src/lib/search/table1';
import { syntheticSingleTask, syntheticTransferRows } from './synthetic-runs';

describe('Table 1', () => {
  it('best single-task model per task: highest F1, ties → shorter wall time', () => {
    const best = bestSingleTask(syntheticSingleTask());
    expect([...best.keys()].sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(best.get('B')).toMatchObject({ f1: 0.55, wallTimeMs: 50, settings: { lr: 3e-5 } });
    expect(best.get('D')).toMatchObject({ f1: 0.75, accuracy: 0.9 });
    expect(best.get('A')).toMatchObject({ f1: 0.5, wallTimeMs: 60 });
  });

  it('best transfer per target: highest F1, ties → shorter time, then source name', () => {
    const rows = syntheticTransferRows();
    expect(bestTransferPerTarget(rows).get('C')).toMatchObject({ source: 'D', f1: 0.4 });
    rows[3]!.f1 = 0.4; // A→C (5 ms) now ties D→C (10 ms)
    expect(bestTransferPerTarget(rows).get('C')).toMatchObject({ source: 'A', wallTimeMs: 5 });
    rows[3]!.wallTimeMs = 10; // same F1 and time: source A < D
    expect(bestTransferPerTarget([rows[5]!, rows[3]!]).get('C')!.source).toBe('A');
  });

  it('with validation F1 on every result, validation chooses and the table reports test F1', () => {
    const singles = syntheticSingleTask().filter((r) => r.task === 'B' || r.task === 'C');
    // B's two runs tie on test F1 (0.55) and the faster one (lr 3e-5) wins there; validation prefers lr 1e-5.
    const withVal = singles.map((r) => ({ ...r, validationF1: r.task === 'B' && r.settings.lr === 3e-5 ? 0.1 : 0.5 }));
    const chosen = bestSingleTask(withVal).get('B')!;
    expect(chosen.settings.lr).toBe(1e-5);
    expect(bestSingleTask(singles).get('B')!.settings.lr).toBe(3e-5);
    const rows = syntheticTransferRows().filter((r) => r.target === 'C');
    const bestOnTest = bestTransferPerTarget(rows).get('C')!;
    const valRows = rows.map((r) => ({ ...r, validationF1: r === bestOnTest ? 0 : 0.3 }));
    const bestOnVal = bestTransferPerTarget(valRows).get('C')!;
    expect(bestOnVal.source === bestOnTest.source && bestOnVal.settings.lr === bestOnTest.settings.lr && bestOnVal.f1 === bestOnTest.f1).toBe(false);
    const t = table1(withVal, valRows);
    expect(t.rows.find((r) => r.task === 'B')!.singleSettings.lr).toBe(1e-5);
    expect(t.rows.find((r) => r.task === 'C')!.transferF1).toBe(bestOnVal.f1);
  });

  it('per task and averaged, tasks without transfer rows listed but not averaged', () => {
    const t = table1(syntheticSingleTask(), syntheticTransferRows());
    expect(t.rows.map((r) => r.task)).toEqual(['A', 'B', 'C', 'D']);
    expect(t.rows[0]).toMatchObject({
      task: 'A', singleF1: 0.5, transferSource: null, transferF1: null, transferSettings: null, gain: null, candidates: 0,
    });
    expect(t.rows[1]).toMatchObject({
      task: 'B', singleF1: 0.55, singleAccuracy: 0.82, singleSettings: { lr: 3e-5, epochs: 2, batch: 32, seed: 1 },
      transferSource: 'C', transferF1: 0.7, transferAccuracy: 0.95, transferSettings: { lr: 1e-5, epochs: 1, batch: 16, seed: 0 },
      candidates: 3,
    });
    expect(t.rows[1]!.gain).toBeCloseTo(0.15, 14);
    expect(t.rows[2]).toMatchObject({ task: 'C', transferSource: 'D', transferF1: 0.4, candidates: 4 });
    expect(t.rows[2]!.gain).toBeCloseTo(0.05, 14);
    expect(t.rows[3]).toMatchObject({ task: 'D', singleF1: 0.75, transferSource: 'A', transferF1: 0.8, candidates: 1 });
    const avg = t.average!;
    expect(avg.tasks).toBe(3);
    expect(avg.singleF1).toBeCloseTo((0.55 + 0.35 + 0.75) / 3, 14);
    expect(avg.singleAccuracy).toBeCloseTo((0.82 + 0.7 + 0.9) / 3, 14);
    expect(avg.transferF1).toBeCloseTo((0.7 + 0.4 + 0.8) / 3, 14);
    expect(avg.transferAccuracy).toBeCloseTo((0.95 + 0.85 + 0.97) / 3, 14);
    expect(avg.gain).toBeCloseTo((0.15 + 0.05 + 0.05) / 3, 14);
  });

  it('without transfer rows: listed tasks, no average', () => {
    const t = table1(syntheticSingleTask(), []);
    expect(t.rows).toHaveLength(4);
    expect(t.average).toBeNull();
  });

  it('rejects missing or bad input with a located message', () => {
    expect(() => table1([], syntheticTransferRows())).toThrow(/no single-task results/);
    const rows = syntheticTransferRows();
    rows.push({ ...rows[0]!, target: 'E' });
    expect(() => table1(syntheticSingleTask(), rows)).toThrow(/transfer row 8 \(A→E\) has target "E", which has no single-task result/);
    const single = syntheticSingleTask();
    single[3]!.accuracy = 1.5;
    expect(() => table1(single, [])).toThrow(/single-task result 3 \(task "B"\): field "accuracy" must be a finite number in \[0, 1\], got 1.5/);
    const badValidation = syntheticSingleTask().map((r, i) => ({ ...r, validationF1: i === 2 ? Number.NaN : 0.5 }));
    expect(() => table1(badValidation, [])).toThrow(/single-task result 2 .*field "validationF1" must be a finite number in \[0, 1\], got NaN/);
  });
});

describe('Table 1 input checks', () => {
  it('names a bad settings field', () => {
    const rows = syntheticTransferRows();
    (rows[1]!.settings as { epochs: unknown }).epochs = '2';
    expect(() => table1(syntheticSingleTask(), rows)).toThrow(/transfer row 1 \(C→B\): field "settings.epochs" must be a finite number, got "2"/);
  });
});
