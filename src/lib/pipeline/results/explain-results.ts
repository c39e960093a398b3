/**
 * What the Explain view shows of a stored experiment: each task's best model, the explained
 * documents, a stored attribution, conductance of any text computed now, and a task's top terms.
 */
import type { BertTokenizer } from '../../bert/tokenizer';
import { parseBertConfig } from '../../bert/config';
import { modelFromSafetensors } from '../../bert/weights';
import type { Doc } from '../../data/schema';
import type { DocAttribution } from '../../explain/doc-attribution';
import { explainDocuments } from '../../explain/explain-documents';
import { DEFAULT_TARGET } from '../../explain/layer-conductance';
import type { Term } from '../../explain/terms';
import type { AttributionRecord } from '../../store/records';
import type { Store } from '../../store/store';
import { fromAttributionRecord, readAttribution } from '../attribution-store';
import { jobIds } from '../plan';
import type { PreparedData } from '../prepare';
import type { ExperimentPlan } from '../types';
import type { StoredExperiment } from './stored-experiment';

export interface ExplainTarget {
  task: string;
  modelId: string;
  f1: number;
  /**
   * The model's weights are in the store, so a new text can be explained. An experiment imported
   * without its models (the bundled demo result) has only the stored attributions.
   */
  modelStored: boolean;
}

export type ExplainDoc = Pick<Doc, 'id' | 'text' | 'labels'>;

/** One document's attribution, sized for a page: normalised scores only. */
export interface AttributionView {
  tokens: string[];
  /** [layers][tokens] normalised conductance (each layer's token scores divided by their L2 norm). */
  perLayer: number[][];
  layerMean: number[];
  terms: Pick<Term, 'term' | 'score' | 'tokenIndices'>[];
  fInput: number;
  fBaseline: number;
  /** Computed now (text typed in) rather than read from the experiment's store. */
  live: boolean;
}

export interface TopTerm {
  term: string;
  meanScore: number;
  docs: number;
}

/** Each task's best single-task model, once its "best" job is done. */
export async function explainTargets(store: Store, { record, plan }: StoredExperiment): Promise<ExplainTarget[]> {
  const out: ExplainTarget[] = [];
  for (const task of plan.tasks.kept) {
    const modelId = record.jobs[jobIds.best(task)]?.resultId;
    if (!modelId) continue;
    const m = await store.models.get(modelId);
    // The kept model and its run share an id (pipeline/ids.ts): the run has the F1 when the model is not here.
    const f1 = m?.metrics?.f1 ?? (await store.runs.get(modelId))?.metrics.f1 ?? NaN;
    out.push({ task, modelId, f1, modelStored: m !== undefined });
  }
  return out;
}

/** The explained documents (positive test documents of the kept tasks, capped), optionally of one task. */
export function explainDocs(prepared: PreparedData, task: string | null): ExplainDoc[] {
  return prepared.conductanceDocs
    .map((i) => prepared.dataset.docs[i])
    .filter((d) => !task || d.labels.includes(task))
    .map((d) => ({ id: d.id, text: d.text, labels: d.labels }));
}

export function attributionView(a: DocAttribution, live: boolean): AttributionView {
  return {
    tokens: a.tokens,
    perLayer: a.layers.map((l) => l.normalized),
    layerMean: a.layerMeanNormalized,
    terms: a.terms.map((t) => ({ term: t.term, score: t.score, tokenIndices: t.tokenIndices })),
    fInput: a.fInput,
    fBaseline: a.fBaseline,
    live,
  };
}

/** The attribution record of a model on a document under the experiment's conductance settings. */
function readExperimentAttribution(store: Store, plan: ExperimentPlan, modelId: string, docId: string): Promise<AttributionRecord | undefined> {
  const c = plan.spec.conductance;
  return readAttribution(store, { modelId, docId, method: c.method, nSteps: c.nSteps, target: DEFAULT_TARGET });
}

/** A stored attribution of a model on an explained document; null when it was not computed (yet). */
export async function storedAttribution(store: Store, plan: ExperimentPlan, modelId: string, docId: string): Promise<AttributionView | null> {
  const r = await readExperimentAttribution(store, plan, modelId, docId);
  return r ? attributionView(fromAttributionRecord(r), false) : null;
}

/** Conductance of a stored model on any text, computed now with the experiment's settings. Leaves no tensors. */
export async function liveAttribution(store: Store, plan: ExperimentPlan, tokenizer: BertTokenizer, modelId: string, text: string): Promise<AttributionView> {
  const [record, files] = await Promise.all([store.models.get(modelId), store.models.getFiles(modelId)]);
  if (!record || !files) throw new Error(`model "${modelId}" is no longer stored (was the experiment deleted?)`);
  const model = modelFromSafetensors(parseBertConfig(record.config, `stored model ${modelId}`), files.safetensors, { head: 'classification' });
  try {
    const c = plan.spec.conductance;
    const { attributions } = await explainDocuments(model, tokenizer, [{ text }], {
      modelId, maxLength: plan.model.maxLength, method: c.method, nSteps: c.nSteps, internalBatchSize: c.internalBatchSize ?? undefined,
    });
    return attributionView(attributions[0], true);
  } finally {
    model.dispose();
  }
}

/**
 * A task's top terms under its best model: the mean term score over the task's explained positive
 * documents in which the term occurs (a term's score in a document: its highest there), for terms
 * seen in at least `minDocs` of them (1 when fewer than 5 documents have attributions).
 */
export async function topTerms(
  store: Store, { record, plan }: StoredExperiment, prepared: PreparedData, task: string, n = 20, minDocs = 2,
): Promise<TopTerm[]> {
  const modelId = record.jobs[jobIds.best(task)]?.resultId;
  if (!modelId) return [];
  const sums = new Map<string, { sum: number; docs: number }>();
  let docsWithAttributions = 0;
  for (const i of prepared.conductanceDocs) {
    const doc = prepared.dataset.docs[i];
    if (!doc.labels.includes(task)) continue;
    const r = await readExperimentAttribution(store, plan, modelId, doc.id);
    if (!r) continue;
    docsWithAttributions++;
    const perDoc = new Map<string, number>();
    r.terms.forEach((t, k) => perDoc.set(t, Math.max(perDoc.get(t) ?? -Infinity, r.termScores[k])));
    for (const [t, s] of perDoc) {
      const e = sums.get(t) ?? { sum: 0, docs: 0 };
      e.sum += s;
      e.docs++;
      sums.set(t, e);
    }
  }
  const floor = docsWithAttributions < 5 ? 1 : minDocs;
  return [...sums]
    .filter(([, e]) => e.docs >= floor)
    .map(([term, e]) => ({ term, meanScore: e.sum / e.docs, docs: e.docs }))
    .sort((a, b) => b.meanScore - a.meanScore)
    .slice(0, n);
}
