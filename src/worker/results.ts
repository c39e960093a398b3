/**
 * An experiment's results for the Explain, Transfer and Search views. The computations are the
 * core's (src/lib/pipeline/results); this adapter binds them to the worker's store, its cache of
 * prepared data and its tokenizers, and waits for a backend switch before computing anything.
 */
import { loadBert } from '../lib/bert/load';
import type { BertTokenizer } from '../lib/bert/tokenizer';
import { defaultModelSource } from '../lib/pipeline/model-source';
import { experimentOutputs } from '../lib/pipeline/outputs';
import { jobIds } from '../lib/pipeline/plan';
import { readAnalysisInfo, type AnalysisInfo } from '../lib/pipeline/results/analysis-info';
import {
  explainDocs, explainTargets, liveAttribution, storedAttribution, topTerms,
  type AttributionView, type ExplainDoc, type ExplainTarget, type TopTerm,
} from '../lib/pipeline/results/explain-results';
import { runRows } from '../lib/pipeline/results/run-rows';
import { readStoredExperiment, type StoredExperiment } from '../lib/pipeline/results/stored-experiment';
import { transferMatrices, type TransferMatrices } from '../lib/pipeline/results/transfer-matrices';
import type { ExperimentPlan } from '../lib/pipeline/types';
import { CURVE_SHARES, replayReport, type ReplayReport } from '../lib/search/replay-report';
import type { Store } from '../lib/store/store';
import type { BackendGuard } from './backend-guard';
import type { ExperimentService } from './experiments';
import type { ExperimentResults } from './protocol';

export class ResultsService {
  /** The tokenizer of an experiment's base model (for live explanations), loaded once. */
  private tokenizers = new Map<string, BertTokenizer>();
  /**
   * A finished analysis with its findings, by experiment, under the analysis job's state: the
   * bootstrap intervals take seconds on a large experiment (12 tasks × 1,331 test documents × 3
   * seeds: 3.1 s), and the view asks again on every update; a redone analysis has a new state.
   */
  private analyses = new Map<string, { key: string; info: AnalysisInfo | null }>();

  constructor(
    private readonly store: () => Promise<Store>,
    private readonly experiments: ExperimentService,
    private readonly backend: BackendGuard,
    private readonly appBase: string,
  ) {}

  private async stored(id: string): Promise<{ store: Store } & StoredExperiment> {
    const store = await this.store();
    return { store, ...(await readStoredExperiment(store, id)) };
  }

  /** Runs done so far (single and transfer) and the analysis when it is done. */
  async results(id: string): Promise<ExperimentResults> {
    const { store, ...experiment } = await this.stored(id);
    const key = JSON.stringify(experiment.record.jobs[jobIds.analysis()] ?? null);
    let cached = this.analyses.get(id);
    if (!cached || cached.key !== key || cached.info === null) {
      // With the prepared data, so that the analysis carries its warnings and intervals.
      cached = { key, info: await readAnalysisInfo(store, experiment, async () => (await this.experiments.prepared(id)).prepared) };
      this.analyses.set(id, cached);
    }
    return {
      experiment: this.experiments.info(experiment.record),
      runs: await runRows(store, experiment),
      analysis: cached.info,
      clock: experiment.plan.clock ?? 'wall',
    };
  }

  async transferMatrices(id: string): Promise<TransferMatrices> {
    const { store, ...experiment } = await this.stored(id);
    return transferMatrices(store, experiment);
  }

  async explainTargets(id: string): Promise<ExplainTarget[]> {
    const { store, ...experiment } = await this.stored(id);
    return explainTargets(store, experiment);
  }

  async explainDocs(id: string, task: string | null): Promise<ExplainDoc[]> {
    return explainDocs((await this.experiments.prepared(id)).prepared, task);
  }

  async attribution(id: string, modelId: string, docId: string): Promise<AttributionView | null> {
    const { store, plan } = await this.stored(id);
    return storedAttribution(store, plan, modelId, docId);
  }

  async liveAttribution(id: string, modelId: string, text: string): Promise<AttributionView> {
    await this.backend.settled();
    const { store, plan } = await this.stored(id);
    return liveAttribution(store, plan, await this.tokenizerOf(id, plan, store), modelId, text);
  }

  async topTerms(id: string, task: string, n?: number): Promise<TopTerm[]> {
    const { store, ...experiment } = await this.stored(id);
    return topTerms(store, experiment, (await this.experiments.prepared(id)).prepared, task, n);
  }

  /**
   * The search strategies replayed on a finished experiment (every ordered pair trained): the same
   * files and code as the CLI's `replay --runs`, with the Search view's curve. Cached until the
   * experiment record changes (a re-run job, a resumed run).
   */
  async replay(id: string): Promise<ReplayReport> {
    const { record, ...experiment } = await this.stored(id);
    const key = `${id}@${record.updatedAt}`;
    const hit = this.replays.get(key);
    if (hit) return hit;
    const { files } = await experimentOutputs(await this.experiments.env(), id);
    const report = replayReport(
      { runsCsv: files['runs.csv']!, featuresCsv: files['features.csv']!, summaryJson: files['summary.json'] },
      { curveShares: CURVE_SHARES },
    );
    if (experiment.plan.spec.pairs.kind !== 'all') {
      report.verdict.warnings.unshift('this experiment trained a sample of the ordered pairs, not every one: each target is replayed over the sources it has, so the figures describe a smaller search than the full one');
    }
    this.replays.clear(); // one experiment's replay at a time is enough for the view
    this.replays.set(key, report);
    return report;
  }

  private readonly replays = new Map<string, ReplayReport>();

  private async tokenizerOf(id: string, plan: ExperimentPlan, store: Store): Promise<BertTokenizer> {
    const hit = this.tokenizers.get(id);
    if (hit) return hit;
    const source = await defaultModelSource({ appBase: this.appBase })(plan.spec.model, store);
    const { model, tokenizer } = await loadBert(source);
    model.dispose();
    this.tokenizers.set(id, tokenizer);
    return tokenizer;
  }
}
