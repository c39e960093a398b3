/**
 * A small synthetic run table whose answers are worked out by hand in the tests.
 *
 *  row  source→target  lr     f1    acc   time  fixed prediction
 *  r0   A→B            1e-5   0.50  0.90  10    0.40
 *  r1   C→B            1e-5   0.70  0.95  20    0.60
 *  r2   D→B            1e-5   0.60  0.92  30    0.65
 *  r3   A→C            1e-5   0.30  0.80   5    0.35   (ties with r4: source A before B)
 *  r4   B→C            1e-5   0.20  0.70   5    0.35
 *  r5   D→C            1e-5   0.40  0.85  10    0.10
 *  r6   A→C            2e-5   0.25  0.75  15    0.30
 *  r7   A→D            1e-5   0.80  0.97  40    0.50   (target D has ONE candidate)
 *
 * Targets (sorted): B (3 candidates), C (4), D (1). Total transfer time 135.
 * Features: `fixed_pred` = the prediction above (a stub regressor reads it back), `target_id`
 * (B=1, C=2, D=3; lets a stub see which targets it was fitted on), `f1_source`, `f1_target`, and
 * `ansat_D_A_0.05` = 0 (a constant, only there to make a feature set "use ANSAT").
 */
import type { FitFunction, SingleTaskResult, TransferRow } from '../../../src/lib/search/types';

const TARGET_ID: Record<string, number> = { A: 0, B: 1, C: 2, D: 3 };
const SINGLE_F1: Record<string, number> = { A: 0.5, B: 0.55, C: 0.35, D: 0.75 };

function row(source: string, target: string, lr: number, f1: number, accuracy: number, wallTimeMs: number, pred: number): TransferRow {
  return {
    source,
    target,
    settings: { lr, epochs: 1, batch: 16, seed: 0 },
    f1,
    accuracy,
    wallTimeMs,
    features: {
      fixed_pred: pred,
      target_id: TARGET_ID[target]!,
      f1_source: SINGLE_F1[source]!,
      f1_target: SINGLE_F1[target]!,
      'ansat_D_A_0.05': 0,
    },
  };
}

export function syntheticTransferRows(): TransferRow[] {
  return [
    row('A', 'B', 1e-5, 0.5, 0.9, 10, 0.4),
    row('C', 'B', 1e-5, 0.7, 0.95, 20, 0.6),
    row('D', 'B', 1e-5, 0.6, 0.92, 30, 0.65),
    row('A', 'C', 1e-5, 0.3, 0.8, 5, 0.35),
    row('B', 'C', 1e-5, 0.2, 0.7, 5, 0.35),
    row('D', 'C', 1e-5, 0.4, 0.85, 10, 0.1),
    row('A', 'C', 2e-5, 0.25, 0.75, 15, 0.3),
    row('A', 'D', 1e-5, 0.8, 0.97, 40, 0.5),
  ];
}

export const FIXED_PREDICTIONS = [0.4, 0.6, 0.65, 0.35, 0.35, 0.1, 0.3, 0.5];

/**
 * Single-task grid: two settings per task. B ties on F1 (0.55) and the shorter run (50 ms, lr 3e-5)
 * must win; D's better run is the second one. Total single-task time: 60+70+100+50+30+40+80+90 = 520.
 */
export function syntheticSingleTask(): SingleTaskResult[] {
  const r = (task: string, lr: number, f1: number, accuracy: number, wallTimeMs: number): SingleTaskResult => ({
    task,
    settings: { lr, epochs: 2, batch: 32, seed: 1 },
    f1,
    accuracy,
    precision: f1,
    recall: f1,
    wallTimeMs,
    examplesSeen: 1000,
  });
  return [
    r('A', 1e-5, 0.5, 0.9, 60),
    r('A', 2e-5, 0.4, 0.91, 70),
    r('B', 1e-5, 0.55, 0.8, 100),
    r('B', 3e-5, 0.55, 0.82, 50),
    r('C', 1e-5, 0.35, 0.7, 30),
    r('C', 2e-5, 0.3, 0.72, 40),
    r('D', 1e-5, 0.6, 0.88, 80),
    r('D', 2e-5, 0.75, 0.9, 90),
  ];
}

/** A "regressor" that predicts the first column of X, i.e. the `fixed_pred` feature when listed first. */
export const firstColumnFit: FitFunction = (_X, _n, d) => (X, n) => {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = X[i * d]!;
  return out;
};
