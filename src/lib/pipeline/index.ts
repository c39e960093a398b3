/**
 * The experiment as resumable jobs (DESIGN.md "Pipeline"): a spec (spec.ts) → prepared data
 * (prepare.ts) → a plan of jobs (plan.ts) stored as an experiment record (experiment.ts) → the
 * runner (runner.ts) → files (outputs.ts). Estimate before running with estimate.ts.
 *
 *   const env = { store, modelSource: defaultModelSource({ appBase }), loadDemo };
 *   await createExperiment(env, spec, { id });
 *   await estimateExperiment(env, id);                 // optional: stored in the record
 *   await runExperiment(env, id, { signal, onProgress });
 *   const { files, summary } = await experimentOutputs(env, id);
 */
export { wallClock, workClock, type Clock, type Measurement } from './clock';
export {
  createExperiment, openExperiment, putOrCheckDataset, loadSpecDataset, datasetIdOf, experimentPlanOf,
  ExperimentMismatchError, DEMO_DATASET_PREFIX, type OpenedExperiment,
} from './experiment';
export {
  EXPERIMENT_FORMAT, type PipelineEnv, type ExperimentPlan, type BaseModelInfo, type ExperimentStatus, type ModelSourceResolver,
  type PlanEstimate, type Throughput, type Job, type JobKind, type JobPlan,
} from './types';
export { estimateExperiment, estimatePlan, measureThroughput, speedHintOf } from './estimate';
export { GRID_PRESETS, GRID_PRESET_NAMES, expandGrid, gridPreset, settingKey, type Grid, type GridSetting } from './grids';
export { defaultModelSource, storedModelSource, type DefaultModelSourceOptions } from './modelSource';
export { bundledModelPath, type BundledModelEntry, type DemoDatasetEntry } from './appIndex';
export { experimentOutputs, type ExperimentOutputs, type ExperimentSummary } from './outputs';
export { allPairs, countJobs, jobIds, planJobs, selectPairs, PlanError } from './plan';
export { prepareData, ansatDocSets, PrepareError, type PreparedData } from './prepare';
export { runExperiment, jobWork, PipelineJobError, type JobInfo, type ProgressEvent, type RunOptions, type RunOutcome, type SpeedHint } from './runner';
export {
  resolveSpec, canonicalJson, specDifferences, featureSetsOf, needsConductance, SpecError, NAMED_FEATURE_SETS, DEFAULT_FEATURE_SETS,
  DEFAULT_REGRESSOR_PARAMS, type ExperimentSpec, type DatasetRef, type ModelRef, type PairsSpec,
} from './spec';
