/** Right-padding token sequences into a batch with an attention mask, and batched inference. */
import * as tf from '@tensorflow/tfjs';
import { classify } from './forward';
import type { BertModel } from './model';

export interface PaddedIds {
  /** [batch × length] row-major, padded with padId. */
  ids: Int32Array;
  /** 1 on real tokens, 0 on padding. */
  mask: Int32Array;
  batch: number;
  length: number;
}

/** Pads to the longest sequence of this batch (dynamic padding). */
export function padSequences(seqs: readonly (readonly number[])[], padId = 0): PaddedIds {
  if (seqs.length === 0) throw new Error('padSequences: empty batch');
  const length = Math.max(...seqs.map((s) => s.length));
  if (length === 0) throw new Error('padSequences: every sequence is empty');
  const ids = new Int32Array(seqs.length * length).fill(padId);
  const mask = new Int32Array(seqs.length * length);
  seqs.forEach((s, b) => {
    ids.set(s, b * length);
    mask.fill(1, b * length, b * length + s.length);
  });
  return { ids, mask, batch: seqs.length, length };
}

export interface BatchTensors {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
}

/** Tensors for a padded batch; the caller disposes them. */
export function batchTensors(seqs: readonly (readonly number[])[], padId = 0): BatchTensors {
  const p = padSequences(seqs, padId);
  return {
    inputIds: tf.tensor2d(p.ids, [p.batch, p.length], 'int32'),
    attentionMask: tf.tensor2d(p.mask, [p.batch, p.length], 'int32'),
  };
}

/**
 * Logits for many sequences, `batchSize` at a time (each batch padded to its own longest
 * sequence). Returns plain numbers; no tensors survive.
 */
export async function predictLogits(
  model: BertModel,
  seqs: readonly (readonly number[])[],
  options: { batchSize?: number; padId?: number } = {},
): Promise<number[][]> {
  const batchSize = options.batchSize ?? 32;
  const out: number[][] = [];
  for (let start = 0; start < seqs.length; start += batchSize) {
    const chunk = seqs.slice(start, start + batchSize);
    const logits = tf.tidy(() => {
      const { inputIds, attentionMask } = batchTensors(chunk, options.padId ?? 0);
      return classify(model, inputIds, { attentionMask });
    });
    out.push(...((await logits.array()) as number[][]));
    logits.dispose();
  }
  return out;
}

/** Softmax of one row of logits, in float64. */
export function softmaxRow(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
