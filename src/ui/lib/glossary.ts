/**
 * What the app's terms and views mean, in one place: the tooltips of `Term` and the "What am I
 * looking at?" line of each view read from here, so a definition is written once.
 */
import type { View } from './app.svelte';

export const GLOSSARY = {
  ANSAT: 'ANSAT (attribution-based similarity): for each document of a set D, the number of terms that BOTH tasks\' fine-tuned models attribute strongly (layer conductance at least T), averaged over D. More shared strong terms suggests the source task teaches what the target needs.',
  D_A: 'D_A: the positive test documents of the source task A.',
  D_B: 'D_B: the positive test documents of the target task B.',
  D_AB: 'D_AB: the test documents positive for both A and B.',
  conductance: 'Layer conductance: how much each token, through each layer, contributes to the model\'s positive score (integrated gradients along a path from a blank input to the document).',
  'RMSE@K': 'RMSE@K: the root-mean-square error of the regressor\'s predicted F1 on the K candidates it ranks highest for each target, fitted without that target (leave one target out). Lower means the ranking\'s top is predicted well.',
  'Runtime@K': 'Runtime@K: the transfer training time spent when each target trains only its first K candidates in the predicted order, as a fraction of training every candidate.',
  'F1 cost': 'F1 cost: how much lower the best F1 found is than exhaustive search\'s best (absolute, or relative to it).',
  honest: 'Honest accounting: the saving also charges what the ranking needs before it can rank — every single-task model, plus the conductance for ANSAT features. A negative saving means that overhead is more than the transfer training it avoids.',
  'regret@k': 'Regret@k: how far (in % of its F1) the best of a strategy\'s first k sources falls short of the best source for that target.',
  'cost share': 'Cost share to within tolerance: the share of the exhaustive transfer training cost a strategy spends before its best-so-far F1 is within the tolerance of the best available.',
  leakage: 'Leakage: test documents with a copy (same text once case, links, @handles and a leading RT are ignored) on the training side. A model can score on them by memorising, so the default split keeps such copies on one side.',
  interval: '95 % interval: bootstrap over test documents and seeds (or over targets, for search orders). A difference whose interval includes 0 is not a finding: seed-to-seed noise here is about ±0.05 F1.',
} as const;

export type TermName = keyof typeof GLOSSARY;

export const VIEW_HELP: Record<View, string> = {
  recommend: 'The main question: you have a target task, which source task should you fine-tune on first? Pick the target and how many sources you can afford to train; the app trains only those, in the order a regressor predicts, and shows every candidate\'s predicted F1 with its 90 % interval, measured F1 where trained.',
  data: 'The labelled documents the method learns from: each label is a task (is this document about X?). Pick the bundled demo data or import your own; the counts show which tasks have enough positives to be trained and tested.',
  model: 'The base BERT model every task is fine-tuned from. The bundled model runs offline; a Hugging Face model or your own folder works too.',
  experiment: 'Plan and run the method: fine-tune a model per task (single-task grid), explain each with conductance, measure how many strongly attributed terms each pair of tasks shares (ANSAT), then train source → target transfers to learn which features predict a good source.',
  explain: 'Which words each task\'s best model relies on: conductance per token and layer for a chosen document, and the task\'s top terms over its positive documents. These are the terms ANSAT compares between tasks.',
  transfer: 'Task × task maps (rows: source A, columns: target B): ANSAT between the tasks\' models, and the F1 gained by fine-tuning on A before B. If ANSAT is useful, the two maps should look alike.',
  search: 'Whether the method saves training: a regressor predicts each source → target F1 from cheap pair features, and training sources in its predicted order is compared with random and with the oracle, with intervals and warnings where the run cannot tell.',
  export: 'Take the results away: CSV tables and a summary, or the whole experiment as a zip that another browser can import.',
};
