/**
 * `BertForMaskedLM`'s head (HF names): transform = dense → activation → LayerNorm, then the decoder,
 * whose weight is TIED to the word embeddings, plus `cls.predictions.bias`. Logits are computed only
 * at the selected (masked) positions: the vocabulary projection is the most expensive matmul.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeFromEmbeds, wordEmbeddings, type ForwardOptions } from './forward';
import type { BertModel } from './model';
import { activation, layerNorm, linear } from './ops';
import { crossEntropy } from './cross-entropy';

/**
 * Vocabulary logits [N, vocab] at `positions` (flat indices b·T + t into the [B, T] batch) of the
 * last hidden state [B, T, H].
 */
export function maskedLmLogitsAt(model: BertModel, lastHidden: tf.Tensor3D, positions: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, T, H] = lastHidden.shape;
    const picked = tf.gather(lastHidden.reshape([B * T, H]), tf.cast(positions, 'int32')) as tf.Tensor2D;
    const g = (n: string) => model.get(`cls.predictions.${n}`);
    const dense = activation(linear(picked, g('transform.dense.weight'), g('transform.dense.bias')), model.config.hidden_act) as tf.Tensor2D;
    const transformed = layerNorm(dense, g('transform.LayerNorm.weight'), g('transform.LayerNorm.bias'), model.config.layer_norm_eps);
    // The word-embedding matrix [vocab, H] is already in linear's [out, in] layout.
    return linear(transformed, model.get('bert.embeddings.word_embeddings.weight'), g('bias'));
  });
}

export interface MaskedLmBatch {
  inputIds: tf.Tensor2D;
  attentionMask: tf.Tensor2D;
  /** Flat indices b·T + t of the positions to predict. */
  positions: tf.Tensor1D;
  /** Original token id at each of those positions. */
  labels: tf.Tensor1D;
}

/** Masked-LM logits for token ids (the masked input) at the given positions. */
export function maskedLmLogits(model: BertModel, batch: Omit<MaskedLmBatch, 'labels'>, opts: Pick<ForwardOptions, 'dropout'> = {}): tf.Tensor2D {
  return tf.tidy(() => {
    const hidden = encodeFromEmbeds(model, wordEmbeddings(model, batch.inputIds), { attentionMask: batch.attentionMask, dropout: opts.dropout });
    return maskedLmLogitsAt(model, hidden[hidden.length - 1], batch.positions);
  });
}

/** Mean cross-entropy of the masked positions (HF BertForMaskedLM loss). */
export function maskedLmLoss(model: BertModel, batch: MaskedLmBatch, opts: Pick<ForwardOptions, 'dropout'> = {}): tf.Scalar {
  return tf.tidy(() => crossEntropy(maskedLmLogits(model, batch, opts), batch.labels));
}
