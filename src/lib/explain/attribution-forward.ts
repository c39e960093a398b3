/**
 * What layer conductance needs from a model: the classifier forward from word embeddings with
 * per-layer additive tensors, returning every layer's output. Two implementations: FrozenBert
 * (frozen-forward.ts, the fast one) and PlainBertForward (bert/forward.ts as it is, for checks and
 * the benchmark).
 */
import type * as tf from '@tensorflow/tfjs';
import { classifyFromEmbeds } from '../bert/forward';
import type { BertModel } from '../bert/model';

export interface AttributionForward {
  readonly model: BertModel;
  /**
   * Logits [B, labels] and h_l [B, hiddenRows(l, T), H] for inputs_embeds [B, T, H];
   * `layerAdds[l]` (h_l's shape) is added to h_l. Creates tensors: call inside tf.tidy/tf.grads.
   */
  classify(inputsEmbeds: tf.Tensor3D, layerAdds?: readonly (tf.Tensor | null | undefined)[]): { logits: tf.Tensor2D; hidden: tf.Tensor3D[] };
  /** Positions of h_l that are computed (the first rows); positions beyond have zero conductance. */
  hiddenRows(layer: number, T: number): number;
}

/** bert/forward.ts's classifyFromEmbeds, unchanged. */
export class PlainBertForward implements AttributionForward {
  constructor(readonly model: BertModel) {}

  classify(inputsEmbeds: tf.Tensor3D, layerAdds: readonly (tf.Tensor | null | undefined)[] = []) {
    return classifyFromEmbeds(this.model, inputsEmbeds, { layerAdds });
  }

  hiddenRows(_layer: number, T: number): number {
    return T;
  }
}
