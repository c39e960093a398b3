/**
 * The reference input conductance integrates from: `[CLS] [PAD] … [PAD] [SEP]`, as long as the
 * input. Keeping [CLS] and [SEP] in place means the path varies only the words, so the special
 * tokens the classifier relies on are never "explained away".
 */

export interface SpecialTokenIds {
  clsId: number;
  sepId: number;
  padId: number;
}

export function conductanceBaseline(length: number, ids: SpecialTokenIds): number[] {
  if (!Number.isInteger(length) || length < 2) {
    throw new Error(`conductance baseline: a sequence needs at least [CLS] and [SEP] (2 tokens), got ${length}`);
  }
  return [ids.clsId, ...new Array<number>(length - 2).fill(ids.padId), ids.sepId];
}
