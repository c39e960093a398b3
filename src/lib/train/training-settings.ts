/**
 * The settings of one fine-tuning run: the one type the grid's points, `fineTune`, the pipeline's
 * training jobs and the stored run records share (the experiment contract in
 * src/lib/pipeline/spec-options.ts declares their ranges and defaults; this layer has none, so a
 * default cannot differ between the CLI, the app and a direct call).
 */

/** The hyper-parameters a grid varies. */
export interface GridPoint {
  /** Peak learning rate (> 0). */
  lr: number;
  /** Passes over the training documents (integer ≥ 1). */
  epochs: number;
  /** Examples per step (integer ≥ 1). */
  batch: number;
}

/** What every run of an experiment shares (the spec's `training`). */
export interface TrainingOptions {
  /** Fraction of the steps warming up linearly, in [0, 1). */
  warmupFraction: number;
  /** Decoupled (AdamW) weight decay, ≥ 0. */
  weightDecay: number;
  /** Global gradient-norm clipping threshold, ≥ 0; 0 turns clipping off. */
  clipNorm: number;
  /** Dropout during training with the config's rates. */
  dropout: boolean;
  /** Weight the loss so both classes count equally. */
  classBalanced: boolean;
}

export interface TrainingSettings extends GridPoint, TrainingOptions {
  /** Seeds the head init, the shuffling and the dropout masks: same seed + backend → same weights. */
  seed: number;
}
