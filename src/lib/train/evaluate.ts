/** Batched inference of a binary classifier and its positive-class metrics. */
import { predictLogits, softmaxRow } from '../bert/batch';
import type { BertModel } from '../bert/model';
import { binaryMetrics, type BinaryMetrics } from './metrics';
import type { TrainExample } from './fine-tune';

export interface Evaluation extends BinaryMetrics {
  /** P(class 1) per example, in input order. */
  probabilities: number[];
  /** Predicted class (argmax of the logits) per example, in input order. */
  predictions: number[];
}

/**
 * Predicts every example (batches of similar length, to pad little) and scores positive class 1.
 */
export async function evaluate(
  model: BertModel,
  examples: readonly TrainExample[],
  options: { batchSize?: number; padId?: number } = {},
): Promise<Evaluation> {
  const order = examples.map((_, i) => i).sort((a, b) => examples[a].inputIds.length - examples[b].inputIds.length);
  const logits = await predictLogits(model, order.map((i) => examples[i].inputIds as number[]), options);
  const probabilities = new Array<number>(examples.length);
  const predictions = new Array<number>(examples.length);
  order.forEach((exampleIndex, k) => {
    const z = logits[k];
    probabilities[exampleIndex] = softmaxRow(z)[1];
    predictions[exampleIndex] = z[1] > z[0] ? 1 : 0;
  });
  const metrics = binaryMetrics(examples.map((e) => e.label), predictions);
  return { ...metrics, probabilities, predictions };
}
