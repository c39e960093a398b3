/**
 * The LogME pair feature (`LOGME_FEATURE_NAME`) of an ordered pair (source A, target B): LogME of
 * the source model M_A's [CLS] features on B's training documents for B's labels. One forward pass of
 * M_A over those documents, then the closed form (`logme.ts`); no training. Binary labels give the
 * two one-hot columns of the authors' classification setting.
 */
import type { BertModel } from '../bert/model';
import type { BertTokenizer } from '../bert/tokenizer';
import { clsFeatures, type ClsFeatureOptions } from './logme-cls-features';
import { logme } from './logme';

export async function logmeFeature(
  model: BertModel,
  tokenizer: BertTokenizer,
  docs: readonly string[],
  labels: readonly number[],
  options: ClsFeatureOptions = {},
): Promise<number> {
  if (docs.length === 0) throw new Error('logmeFeature: no documents');
  if (labels.length !== docs.length) throw new Error(`logmeFeature: ${docs.length} documents but ${labels.length} labels`);
  labels.forEach((l, i) => {
    if (l !== 0 && l !== 1) throw new Error(`logmeFeature: label ${i} must be 0 or 1 (the target task's binary label), got ${l}`);
  });
  const F = await clsFeatures(model, tokenizer, docs, options);
  return logme(F, docs.length, model.config.hidden_size, labels).logme;
}
