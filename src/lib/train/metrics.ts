/** Positive-class metrics of a binary classifier. */

export interface BinaryMetrics {
  /** tp / (tp + fp); 0 when nothing is predicted positive. */
  precision: number;
  /** tp / (tp + fn); 0 when there are no true positives in the data. */
  recall: number;
  /**
   * 2·P·R / (P + R); 0 when P + R = 0. In particular F1 = 0 when there are no predicted and no
   * true positives (sklearn's zero_division=0 convention), so an empty task never looks perfect.
   */
  f1: number;
  accuracy: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  count: number;
}

export function binaryMetrics(labels: readonly number[], predictions: readonly number[]): BinaryMetrics {
  if (labels.length !== predictions.length) {
    throw new Error(`binaryMetrics: ${labels.length} labels but ${predictions.length} predictions`);
  }
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] === 1;
    const p = predictions[i] === 1;
    if (y && p) tp++;
    else if (!y && p) fp++;
    else if (y && !p) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const count = labels.length;
  return { precision, recall, f1, accuracy: count === 0 ? 0 : (tp + tn) / count, tp, fp, fn, tn, count };
}
