/**
 * Rows for a recommendation's regressor from an earlier exhaustive run (issue 15, cold start): its
 * runs.csv, features.csv and summary.json, whether read from a folder (the CLI's `--prior DIR`), a
 * finished experiment in the same store, or the reference run the app ships (results/, imported on
 * the first visit). Each row pairs the features the run measured with its own models with the F1
 * its transfer gave, which is what the regressor learns from; the base model is recorded so that
 * runRecommend warns where it differs.
 */
import { readReplayData } from '../search/replay-input';
import type { RecommendPrior } from './recommend-run';

export interface PriorFiles {
  runsCsv: string;
  featuresCsv: string;
  summaryJson?: string;
  /** File names for error messages. */
  names?: { runs?: string; features?: string; summary?: string };
}

/** A prior from an experiment's output files; `origin` names it in rows_used and warnings. Throws on malformed files. */
export function priorFromFiles(files: PriorFiles, origin: string): RecommendPrior {
  const data = readReplayData({
    runsCsv: files.runsCsv,
    featuresCsv: files.featuresCsv,
    summaryJson: files.summaryJson,
    names: { runs: files.names?.runs ?? 'runs.csv', features: files.names?.features ?? 'features.csv', summary: files.names?.summary ?? 'summary.json' },
  });
  const model = files.summaryJson ? (JSON.parse(files.summaryJson) as { model?: { fingerprint?: string; description?: string } }).model : undefined;
  const rowOrigin = `prior ${origin}`;
  return {
    dir: origin,
    featureNames: data.featureNames,
    modelFingerprint: model?.fingerprint ?? null,
    modelDescription: model?.description ?? null,
    rows: data.targets.flatMap((t) => t.candidates.map((c) => ({ source: c.source, target: t.target, features: c.features, value: c.value, origin: rowOrigin }))),
  };
}
