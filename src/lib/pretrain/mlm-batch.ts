/**
 * Masked sequences → the tensors `mlmLogits` takes. Only real predictions are kept (no padding
 * slots), so the decoder and the loss see exactly the masked tokens and the mean is over them.
 */
import * as tf from '@tensorflow/tfjs';
import type { MaskedSequence } from './masking';
import type { MlmInputs } from './mlm';

export interface MlmTensors extends MlmInputs {
  /** [N] original ids at the predicted positions (int32). */
  labels: tf.Tensor1D;
  /** Number of predicted positions N. */
  predictions: number;
  /** Real (non-padding) tokens in the batch. */
  tokens: number;
}

/** Pads to the longest sequence of the batch; no attention mask when no row is padded. */
export function mlmTensors(masked: readonly MaskedSequence[], padId: number): MlmTensors {
  if (masked.length === 0) throw new Error('mlmTensors: empty batch');
  const B = masked.length;
  const T = masked.reduce((m, s) => Math.max(m, s.inputIds.length), 0);
  const ids = new Int32Array(B * T).fill(padId);
  const mask = new Int32Array(B * T);
  let n = 0;
  let tokens = 0;
  for (const s of masked) n += s.positions.length;
  const flat = new Int32Array(n);
  const labels = new Int32Array(n);
  let k = 0;
  masked.forEach((s, b) => {
    ids.set(s.inputIds, b * T);
    mask.fill(1, b * T, b * T + s.inputIds.length);
    tokens += s.inputIds.length;
    for (let j = 0; j < s.positions.length; j++) {
      flat[k] = b * T + s.positions[j];
      labels[k] = s.labels[j];
      k++;
    }
  });
  if (n === 0) throw new Error('mlmTensors: no position to predict in the batch');
  const padded = tokens < B * T;
  return {
    inputIds: tf.tensor2d(ids, [B, T], 'int32'),
    ...(padded ? { attentionMask: tf.tensor2d(mask, [B, T], 'int32') } : {}),
    flatPositions: tf.tensor1d(flat, 'int32'),
    labels: tf.tensor1d(labels, 'int32'),
    predictions: n,
    tokens,
  };
}

export function disposeMlmTensors(t: MlmTensors): void {
  tf.dispose([t.inputIds, t.flatPositions, t.labels, ...(t.attentionMask ? [t.attentionMask] : [])]);
}
