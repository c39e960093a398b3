/**
 * How several judgements of one tweet combine (TREC-IS, `TrecisOptions.merge` in trecis.ts): its
 * own module, free of the importer, so the experiment contract and the page can list the values.
 */
export const LABEL_MERGES = ['union', 'intersection', 'majority', 'last'] as const;
export type LabelMerge = (typeof LABEL_MERGES)[number];
