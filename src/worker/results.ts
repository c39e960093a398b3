/**
 * An experiment's results for the Explain, Transfer and Search views, read from the store where
 * the pipeline wrote them: runs, pair features, attributions, regressors and the analysis (kept in
 * the experiment record). Everything returned is plain data sized for a page (no weights, no
 * per-document arrays beyond the one document shown).
 */
import { loadBert } from '../lib/bert/load';
import { parseBertConfig } from '../lib/bert/config';
import { modelFromSafetensors } from '../lib/bert/weights';
import type { BertTokenizer } from '../lib/bert/tokenizer';
import { explainDocuments } from '../lib/explain/explainDocuments';
import { DEFAULT_TARGET } from '../lib/explain/layerConductance';
import { featureImportance } from '../lib/gbdt/importance';
import { fromXgboostJson } from '../lib/gbdt/xgboost-json';
import { fromAttributionRecord, readAttribution } from '../lib/pipeline/attributionStore';
import { experimentPlanOf } from '../lib/pipeline/experiment';
import { defaultModelSource } from '../lib/pipeline/modelSource';
import type { ExperimentPlan } from '../lib/pipeline/types';
import { jobIds, planJobs } from '../lib/pipeline/plan';
import { loadSingleRuns, loadTransferRuns, trainSettingsOf } from '../lib/pipeline/storedResults';
import { recordIds } from '../lib/pipeline/ids';
import type { Analysis } from '../lib/search/analysis';
import { ANSAT_FEATURE_NAMES } from '../lib/search/featureNames';
import { BASELINE_FEATURE_NAMES } from '../lib/transfer/baselines/names';
import type { ExperimentRecord, RegressorRecord } from '../lib/store/records';
import type { Store } from '../lib/store/store';
import type { ExperimentService } from './experiments';
import type {
  AnalysisInfo, AttributionView, ExperimentResults, ExplainDoc, ExplainTarget, RunRow, TopTerm, TransferMatrices,
} from './protocol';

type Matrix = Record<string, Record<string, number>>;

function put(m: Matrix, a: string, b: string, v: number): void {
  (m[a] ??= {})[b] = v;
}

export class ResultsService {
  /** The tokenizer of an experiment's base model (for live explanations), loaded once. */
  private tokenizers = new Map<string, BertTokenizer>();

  constructor(private readonly store: () => Promise<Store>, private readonly experiments: ExperimentService, private readonly appBase: string) {}

  private async record(id: string): Promise<{ store: Store; record: ExperimentRecord; plan: ExperimentPlan }> {
    const store = await this.store();
    const record = await store.experiments.get(id);
    if (!record) throw new Error(`experiment "${id}" is not stored in this browser`);
    return { store, record, plan: experimentPlanOf(record) };
  }

  private jobsOf(plan: ExperimentPlan) {
    return planJobs(plan.spec, plan.tasks.kept);
  }

  /** Runs done so far (single and transfer) and the analysis when it is done. */
  async results(id: string): Promise<ExperimentResults> {
    const { store, record, plan } = await this.record(id);
    const jobs = this.jobsOf(plan);
    const states = record.jobs;
    const bestIds = new Set(plan.tasks.kept.map((t) => states[jobIds.best(t)]?.resultId));
    const runs: RunRow[] = [];
    for (const r of await store.runs.listBy('experimentId', id)) {
      const s = trainSettingsOf(r);
      runs.push({
        kind: r.kind, ...(r.sourceTask ? { source: r.sourceTask } : {}), task: r.task, lr: s.lr, epochs: s.epochs, batch: s.batch,
        f1: r.metrics.f1, accuracy: r.metrics.accuracy, wallTimeMs: r.wallTimeMs, examplesSeen: r.examplesSeen,
        ...(r.kind === 'single' ? { best: bestIds.has(r.modelId) } : {}), ...(r.backend ? { backend: r.backend } : {}),
      });
    }
    let analysis: AnalysisInfo | null = null;
    if (record.analysis && states[jobIds.analysis()]?.status === 'done') {
      const transfers = await loadTransferRuns(store, id, jobs);
      const regressors = await store.regressors.listBy('experimentId', id);
      analysis = this.analysisInfo(record.analysis, transfers.map((t) => ({ source: t.job.source, target: t.job.target, f1: t.run.metrics.f1 })), regressors);
    }
    return { experiment: this.experiments.info(record), runs, analysis, clock: plan.clock ?? 'wall' };
  }

  private analysisInfo(a: Analysis, rows: { source: string; target: string; f1: number }[], regressors: RegressorRecord[]): AnalysisInfo {
    const importance = new Map<string, Map<string, { gain: number; folds: number }>>();
    const folds: AnalysisInfo['regressors'] = [];
    // The leave-one-target-out folds only: the regressor fitted on all rows is for export, not part of the evaluation.
    const foldRegressors = regressors.filter((r) => r.heldOutTarget !== undefined);
    for (const r of foldRegressors) {
      folds.push({ featureSet: r.featureSet, heldOutTarget: r.heldOutTarget!, testRmse: r.metrics?.testRmse ?? NaN, trainRows: r.metrics?.trainRows ?? 0 });
      let scores: Record<string, number>;
      try {
        scores = featureImportance(fromXgboostJson(r.model), 'gain');
      } catch {
        continue;
      }
      const m = importance.get(r.featureSet) ?? new Map<string, { gain: number; folds: number }>();
      importance.set(r.featureSet, m);
      for (const [name, gain] of Object.entries(scores)) {
        const e = m.get(name) ?? { gain: 0, folds: 0 };
        e.gain += gain;
        e.folds += 1;
        m.set(name, e);
      }
    }
    const foldCount = (fs: string) => foldRegressors.filter((r) => r.featureSet === fs).length || 1;
    return {
      table1: a.table1,
      rmseAtK: a.rmseAtK,
      curves: a.curves,
      headline: a.headline,
      predictions: a.predictions.map((p) => ({
        featureSet: p.featureSet,
        rows: rows.map((r, i) => ({ source: r.source, target: r.target, actual: r.f1, predicted: p.values[i] })),
      })),
      importance: [...importance].map(([featureSet, m]) => ({
        featureSet,
        // Mean over ALL folds (a fold that never split on a feature counts as 0), so rarely used features rank low.
        features: [...m].map(([name, e]) => ({ name, gain: e.gain / foldCount(featureSet), folds: e.folds })).sort((x, y) => y.gain - x.gain),
      })),
      regressors: folds,
    };
  }

  /** ANSAT (every set × threshold), the baselines and the measured transfer gain, task × task. */
  async transferMatrices(id: string): Promise<TransferMatrices> {
    const { store, plan } = await this.record(id);
    const jobs = this.jobsOf(plan);
    const ansat: Record<string, Matrix> = {};
    const baselines: Record<string, Matrix> = {};
    let hasAnsat = false;
    for (const [source, target] of jobs.pairs) {
      const f = await store.features.get(recordIds.features(id, source, target));
      if (!f) continue;
      for (const name of ANSAT_FEATURE_NAMES) {
        if (f.values[name] === undefined) continue;
        hasAnsat = true;
        put((ansat[name] ??= {}), source, target, f.values[name]);
      }
      for (const name of BASELINE_FEATURE_NAMES) {
        if (f.values[name] !== undefined) put((baselines[name] ??= {}), source, target, f.values[name]);
      }
    }
    // Gain: the best transfer setting against the best single-task setting, per ordered pair.
    const bestSingle = new Map<string, number>();
    for (const { run } of await loadSingleRunsSafe(store, id, jobs)) {
      bestSingle.set(run.task, Math.max(bestSingle.get(run.task) ?? -Infinity, run.metrics.f1));
    }
    const bestTransfer: Matrix = {};
    for (const r of await store.runs.listBy('experimentId', id)) {
      if (r.kind !== 'transfer' || !r.sourceTask) continue;
      const prev = bestTransfer[r.sourceTask]?.[r.task] ?? -Infinity;
      put(bestTransfer, r.sourceTask, r.task, Math.max(prev, r.metrics.f1));
    }
    const gain: Matrix = {};
    for (const [source, row] of Object.entries(bestTransfer)) {
      for (const [target, f1] of Object.entries(row)) {
        const base = bestSingle.get(target);
        if (base !== undefined) put(gain, source, target, f1 - base);
      }
    }
    return { tasks: plan.tasks.kept, ansat, gain, baselines, hasAnsat };
  }

  /** Each task's best single-task model (once its "best" job is done). */
  async explainTargets(id: string): Promise<ExplainTarget[]> {
    const { store, record, plan } = await this.record(id);
    const states = record.jobs;
    const out: ExplainTarget[] = [];
    for (const task of plan.tasks.kept) {
      const modelId = states[jobIds.best(task)]?.resultId;
      if (!modelId) continue;
      const m = await store.models.get(modelId);
      out.push({ task, modelId, f1: m?.metrics?.f1 ?? NaN });
    }
    return out;
  }

  /** The explained documents (positive test documents of the kept tasks, capped), optionally of one task. */
  async explainDocs(id: string, task: string | null): Promise<ExplainDoc[]> {
    const { prepared } = await this.experiments.prepared(id);
    return prepared.conductanceDocs
      .map((i) => prepared.dataset.docs[i])
      .filter((d) => !task || d.labels.includes(task))
      .map((d) => ({ id: d.id, text: d.text, labels: d.labels }));
  }

  /** A stored attribution of a model on an explained document. */
  async attribution(id: string, modelId: string, docId: string): Promise<AttributionView | null> {
    const { store, plan } = await this.record(id);
    const c = plan.spec.conductance;
    const r = await readAttribution(store, { modelId, docId, method: c.method, nSteps: c.nSteps, target: DEFAULT_TARGET });
    if (!r) return null;
    return view(fromAttributionRecord(r), false);
  }

  /** Conductance of a stored model on any text, computed now with the experiment's settings. */
  async liveAttribution(id: string, modelId: string, text: string): Promise<AttributionView> {
    const { store, plan } = await this.record(id);
    const [record, files] = await Promise.all([store.models.get(modelId), store.models.getFiles(modelId)]);
    if (!record || !files) throw new Error(`model "${modelId}" is no longer stored (was the experiment deleted?)`);
    const tokenizer = await this.tokenizerOf(id, plan, store);
    const model = modelFromSafetensors(parseBertConfig(record.config, `stored model ${modelId}`), files.safetensors, { head: 'classification' });
    try {
      const c = plan.spec.conductance;
      const { attributions } = await explainDocuments(model, tokenizer, [{ text }], {
        modelId, maxLength: plan.model.maxLength, method: c.method, nSteps: c.nSteps, internalBatchSize: c.internalBatchSize ?? undefined,
      });
      return view(attributions[0], true);
    } finally {
      model.dispose();
    }
  }

  private async tokenizerOf(id: string, plan: ExperimentPlan, store: Store): Promise<BertTokenizer> {
    const hit = this.tokenizers.get(id);
    if (hit) return hit;
    const source = await defaultModelSource({ appBase: this.appBase })(plan.spec.model, store);
    const { model, tokenizer } = await loadBert(source);
    model.dispose();
    this.tokenizers.set(id, tokenizer);
    return tokenizer;
  }

  /**
   * A task's top terms under its best model: the mean term score over the task's explained positive
   * documents in which the term occurs, for terms seen in at least `minDocs` of them.
   */
  async topTerms(id: string, task: string, n = 20, minDocs = 2): Promise<TopTerm[]> {
    const { store, record, plan } = await this.record(id);
    const modelId = record.jobs[jobIds.best(task)]?.resultId;
    if (!modelId) return [];
    const { prepared } = await this.experiments.prepared(id);
    const c = plan.spec.conductance;
    const sums = new Map<string, { sum: number; docs: number }>();
    let docsWithAttributions = 0;
    for (const i of prepared.conductanceDocs) {
      const doc = prepared.dataset.docs[i];
      if (!doc.labels.includes(task)) continue;
      const r = await readAttribution(store, { modelId, docId: doc.id, method: c.method, nSteps: c.nSteps, target: DEFAULT_TARGET });
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
}

async function loadSingleRunsSafe(store: Store, id: string, jobs: ReturnType<typeof planJobs>) {
  try {
    return await loadSingleRuns(store, id, jobs);
  } catch {
    // Not every single run is done yet: use the ones that are.
    const runs = await store.runs.listBy('experimentId', id);
    return runs.filter((r) => r.kind === 'single').map((run) => ({ run }));
  }
}

function view(a: import('../lib/explain/docAttribution').DocAttribution, live: boolean): AttributionView {
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
