/**
 * Hyper-parameters of the boosted trees, under XGBoost's names (the scikit-learn wrapper's, plus the
 * native aliases `eta`, `lambda`, `alpha`, `min_split_loss`, `num_boost_round`, `random_state`), so
 * a params.json written for `xgboost.XGBRegressor(**params)` works here unchanged.
 */

export type TreeMethod = 'exact' | 'hist';

export interface GbdtParams {
  /** Boosting rounds (trees). */
  n_estimators: number;
  /** η: every leaf value is multiplied by it. */
  learning_rate: number;
  /** Depth limit; 0 grows a single leaf per tree (as XGBoost's exact grower does). */
  max_depth: number;
  /** Smallest hessian sum (= row count for squared error) a child may have. */
  min_child_weight: number;
  /** λ: L2 penalty on leaf weights. */
  reg_lambda: number;
  /** α: L1 penalty on leaf weights. */
  reg_alpha: number;
  /** γ (min_split_loss): splits whose loss reduction is below it are pruned after the tree is grown. */
  gamma: number;
  /** Caps |leaf weight| before η when non-zero (XGBoost's max_delta_step). */
  max_delta_step: number;
  /** Fraction of rows drawn (Bernoulli per row) for each tree. */
  subsample: number;
  /** Fractions of features drawn per tree, then per level from that, then per node from that. */
  colsample_bytree: number;
  colsample_bylevel: number;
  colsample_bynode: number;
  /** Initial prediction of every row (XGBoost 1.7's default 0.5). */
  base_score: number;
  tree_method: TreeMethod;
  /** Largest number of bins per feature for `hist`. */
  max_bin: number;
  /** Seed of the row and column sampling. */
  seed: number;
  /** Stop when the validation RMSE has not improved for this many rounds (needs a validation set). */
  early_stopping_rounds?: number;
}

export const DEFAULT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  n_estimators: 100,
  learning_rate: 0.3,
  max_depth: 6,
  min_child_weight: 1,
  reg_lambda: 1,
  reg_alpha: 0,
  gamma: 0,
  max_delta_step: 0,
  subsample: 1,
  colsample_bytree: 1,
  colsample_bylevel: 1,
  colsample_bynode: 1,
  base_score: 0.5,
  tree_method: 'exact',
  max_bin: 256,
  seed: 0,
});

/** Native XGBoost names that mean the same parameter. */
const ALIASES: Record<string, keyof GbdtParams> = {
  eta: 'learning_rate',
  lambda: 'reg_lambda',
  alpha: 'reg_alpha',
  min_split_loss: 'gamma',
  num_boost_round: 'n_estimators',
  random_state: 'seed',
};

/**
 * Accepted so that XGBoost parameter files load, but only with the value this implementation has
 * (anything else would silently train a different model).
 */
const FIXED: Record<string, readonly unknown[]> = {
  objective: ['reg:squarederror'],
  booster: ['gbtree'],
  eval_metric: ['rmse'],
  grow_policy: ['depthwise'],
  sampling_method: ['uniform'],
};

/** Accepted and ignored: they change how XGBoost runs, not what it computes. */
const IGNORED = new Set(['n_jobs', 'nthread', 'verbosity', 'silent', 'missing', 'validate_parameters']);

/** Every name `resolveParams` accepts, for error messages and CLI help. */
export function knownParamNames(): string[] {
  return [...Object.keys(DEFAULT_PARAMS), 'early_stopping_rounds', ...Object.keys(ALIASES), ...Object.keys(FIXED), ...IGNORED];
}

/** Thrown for an unknown parameter name or an out-of-range value; the message names the parameter. */
export class GbdtParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GbdtParamError';
  }
}

/**
 * Fills defaults, maps aliases and checks every value. Unknown names are an error: a typo must not
 * fall back to a default silently. `where` prefixes messages (e.g. the params file name).
 */
export function resolveParams(given: Partial<GbdtParams> | Record<string, unknown> = {}, where = 'params'): GbdtParams {
  const out: GbdtParams = { ...DEFAULT_PARAMS };
  const seen = new Map<string, string>();
  for (const [rawName, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (IGNORED.has(rawName)) continue;
    if (rawName in FIXED) {
      if (!FIXED[rawName].includes(value)) {
        throw new GbdtParamError(`${where}: ${rawName} must be ${FIXED[rawName].map((v) => JSON.stringify(v)).join(' or ')}, got ${JSON.stringify(value)}`);
      }
      continue;
    }
    const name = (ALIASES[rawName] ?? rawName) as keyof GbdtParams;
    if (!(name in DEFAULT_PARAMS) && name !== 'early_stopping_rounds') {
      throw new GbdtParamError(`${where}: unknown parameter "${rawName}"; known: ${knownParamNames().join(', ')}`);
    }
    const earlier = seen.get(name);
    if (earlier !== undefined && earlier !== rawName) {
      throw new GbdtParamError(`${where}: "${rawName}" and "${earlier}" are the same parameter; give one`);
    }
    seen.set(name, rawName);
    if (name === 'tree_method') {
      // XGBoost 1.7's 'auto' picks exact greedy on a single machine for in-memory data.
      if (value === 'auto') out.tree_method = 'exact';
      else if (value === 'exact' || value === 'hist') out.tree_method = value;
      else throw new GbdtParamError(`${where}: tree_method must be "exact", "hist" or "auto", got ${JSON.stringify(value)}`);
      continue;
    }
    if (value === null && name === 'early_stopping_rounds') continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new GbdtParamError(`${where}: ${rawName} must be a finite number, got ${JSON.stringify(value)}`);
    }
    (out as unknown as Record<string, number>)[name] = value;
  }
  checkRanges(out, where);
  return out;
}

function checkRanges(p: GbdtParams, where: string): void {
  const bad = (name: string, want: string) => {
    throw new GbdtParamError(`${where}: ${name} must be ${want}, got ${(p as unknown as Record<string, unknown>)[name]}`);
  };
  const isInt = (v: number) => Number.isInteger(v);
  if (!isInt(p.n_estimators) || p.n_estimators < 0) bad('n_estimators', 'an integer ≥ 0');
  if (!(p.learning_rate > 0)) bad('learning_rate', '> 0');
  if (!isInt(p.max_depth) || p.max_depth < 0) bad('max_depth', 'an integer ≥ 0');
  if (!(p.min_child_weight >= 0)) bad('min_child_weight', '≥ 0');
  if (!(p.reg_lambda >= 0)) bad('reg_lambda', '≥ 0');
  if (!(p.reg_alpha >= 0)) bad('reg_alpha', '≥ 0');
  if (!(p.gamma >= 0)) bad('gamma', '≥ 0');
  if (!(p.max_delta_step >= 0)) bad('max_delta_step', '≥ 0');
  for (const k of ['subsample', 'colsample_bytree', 'colsample_bylevel', 'colsample_bynode'] as const) {
    if (!(p[k] > 0 && p[k] <= 1)) bad(k, 'in (0, 1]');
  }
  if (!isInt(p.max_bin) || p.max_bin < 2 || p.max_bin > 65535) bad('max_bin', 'an integer in [2, 65535]');
  if (!isInt(p.seed)) bad('seed', 'an integer');
  if (p.early_stopping_rounds !== undefined && (!isInt(p.early_stopping_rounds) || p.early_stopping_rounds < 1)) {
    bad('early_stopping_rounds', 'an integer ≥ 1');
  }
}
