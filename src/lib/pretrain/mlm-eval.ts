/**
 * Held-out masked-LM evaluation: accuracy (argmax = original token) and perplexity (exp of the mean
 * negative log-likelihood) over the masked targets. The masks are drawn with a FIXED seed, each
 * sequence in file order with one PRNG, exactly as scripts/pretrain/sequences.ts draws them for the
 * unigram baseline: model and baseline are scored on the very same targets.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertModel } from '../bert/model';
import { createRng } from '../util/rng';
import { maskSequence, type MaskedSequence, type MaskingConfig } from './masking';
import { disposeMlmTensors, mlmTensors } from './mlm-batch';
import { mlmLogits } from './mlm';

export interface MlmScore {
  targets: number;
  accuracy: number;
  perplexity: number;
  /** Mean negative log-likelihood (nats) = log perplexity. */
  loss: number;
}

/** The masked held-out set: masks drawn once, reusable across evaluations. */
export function maskHeldout(sequences: readonly ArrayLike<number>[], masking: MaskingConfig, maskSeed: number): MaskedSequence[] {
  const rng = createRng(maskSeed);
  return sequences.map((s) => maskSequence(s, masking, rng));
}

export async function evaluateMlm(model: BertModel, masked: readonly MaskedSequence[], options: { padId: number; batchSize?: number }): Promise<MlmScore> {
  const batchSize = options.batchSize ?? 64;
  // Batches of similar length pad little; the order does not change the targets.
  const order = masked.map((_, i) => i).filter((i) => masked[i].positions.length > 0);
  order.sort((a, b) => masked[a].inputIds.length - masked[b].inputIds.length);
  let targets = 0;
  let hits = 0;
  let nll = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = mlmTensors(order.slice(start, start + batchSize).map((i) => masked[i]), options.padId);
    const [nllSum, hitSum] = tf.tidy(() => {
      const logits = mlmLogits(model, batch);
      const logp = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logp, tf.oneHot(batch.labels, logits.shape[1])), -1);
      const hit = tf.equal(tf.argMax(logits, -1), batch.labels);
      return [tf.neg(tf.sum(picked)), tf.sum(tf.cast(hit, 'float32'))];
    });
    const [a, b] = await Promise.all([nllSum.data(), hitSum.data()]);
    tf.dispose([nllSum, hitSum]);
    nll += a[0];
    hits += b[0];
    targets += batch.predictions;
    disposeMlmTensors(batch);
  }
  const loss = targets ? nll / targets : NaN;
  return { targets, accuracy: targets ? hits / targets : 0, perplexity: Math.exp(loss), loss };
}
