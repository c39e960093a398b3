/**
 * Boosted trees from the command line, on CSV files, with XGBoost's parameter names and JSON models.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../../lib/util/atomic-write.node.js';
import { parseArgs, CliError } from '../args';
import { fitGbdt, rmse } from '../../lib/gbdt/fit';
import { featureImportance, IMPORTANCE_TYPES, type ImportanceType } from '../../lib/gbdt/importance';
import { predictGbdt } from '../../lib/gbdt/predict';
import { knownParamNames, resolveParams, type GbdtParams } from '../../lib/gbdt/params';
import { parseNumericCsv, selectColumns, splitTarget, TableError } from '../../lib/gbdt/table';
import { fromXgboostJson, toXgboostJsonText } from '../../lib/gbdt/xgboost-json';

export const usage = `usage:
  npm run cli -- gbdt fit --train CSV --target COLUMN [--params FILE.json] [--valid CSV]
                          --out MODEL.json [--importance ${IMPORTANCE_TYPES.join('|')}]
  npm run cli -- gbdt predict --model MODEL.json --data CSV [--out FILE.json]

fit: trains on every column of the CSV except the target (empty cells are missing values) and
  writes an XGBoost JSON model (loadable by xgboost's Booster.load_model). FILE.json holds the
  parameters under XGBoost's names, either at top level or under "params" (as the fixtures'
  params.json), e.g. {"n_estimators": 100, "max_depth": 6, "tree_method": "hist"}.
  --valid CSV (same columns) is evaluated every round; with early_stopping_rounds it stops training.
  Prints {rounds, trees, trainRmse, validRmse?, timeMs, ...}.
predict: reads a model (ours or XGBoost's) and prints {"predictions": [...]} for every row of CSV.
  Columns are matched by the model's feature names when it has them (other columns, such as the
  target, are ignored); otherwise the CSV must have exactly the model's number of columns.
known parameters: ${knownParamNames().join(', ')}`;

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

function readParams(path: string | undefined): GbdtParams {
  if (path === undefined) return resolveParams({});
  const doc = readJson(path, 'params file');
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${path}: expected a JSON object of parameters`);
  const inner = (doc as Record<string, unknown>).params;
  const params = inner !== undefined ? inner : doc;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error(`${path}: "params" must be an object`);
  return resolveParams(params as Record<string, unknown>, path);
}

async function fit(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['train', 'target', 'params', 'valid', 'out', 'importance']);
  const trainPath = args.required('train');
  const target = args.required('target');
  const out = args.required('out');
  const importance = args.get('importance') as ImportanceType | undefined;
  if (importance !== undefined && !IMPORTANCE_TYPES.includes(importance)) {
    throw new CliError(`--importance must be one of ${IMPORTANCE_TYPES.join(', ')}, got "${importance}"`);
  }
  const params = readParams(args.get('params'));
  const train = splitTarget(parseNumericCsv(readText(trainPath, 'training CSV'), trainPath), target, trainPath);
  let valid: { X: Float32Array; n: number; y: Float32Array } | undefined;
  const validPath = args.get('valid');
  if (validPath !== undefined) {
    const table = parseNumericCsv(readText(validPath, 'validation CSV'), validPath);
    const v = splitTarget(table, target, validPath);
    valid = { X: selectColumns(table, train.featureNames, validPath), n: v.n, y: v.y };
  }
  const t0 = performance.now();
  const model = fitGbdt(train.X, train.n, train.d, train.y, params, { featureNames: train.featureNames, valid });
  const timeMs = performance.now() - t0;
  writeFileAtomicSync(out, toXgboostJsonText(model));
  const summary: Record<string, unknown> = {
    out,
    treeMethod: params.tree_method,
    rows: train.n,
    features: train.d,
    rounds: model.roundsTrained,
    trees: model.trees.length,
    trainRmse: rmse(predictGbdt(model, train.X, train.n), train.y),
  };
  if (valid) summary.validRmse = rmse(predictGbdt(model, valid.X, valid.n), valid.y);
  if (model.bestIteration !== undefined) summary.bestIteration = model.bestIteration;
  summary.timeMs = Math.round(timeMs * 10) / 10;
  if (importance) summary.importance = { type: importance, values: featureImportance(model, importance) };
  return summary;
}

async function predict(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['model', 'data', 'out']);
  const modelPath = args.required('model');
  const dataPath = args.required('data');
  let model;
  try {
    model = fromXgboostJson(readJson(modelPath, 'model'));
  } catch (e) {
    throw new Error(`${modelPath}: ${(e as Error).message}`);
  }
  const table = parseNumericCsv(readText(dataPath, 'data CSV'), dataPath);
  let X: Float32Array;
  if (model.featureNames) {
    X = selectColumns(table, model.featureNames, dataPath);
  } else {
    if (table.columns.length !== model.numFeature) {
      throw new TableError(
        dataPath,
        `the model has no feature names and expects exactly ${model.numFeature} columns, the CSV has ${table.columns.length}`,
      );
    }
    X = table.values;
  }
  const predictions = Array.from(predictGbdt(model, X, table.rows));
  const result = { predictions };
  const out = args.get('out');
  if (out !== undefined) {
    writeFileAtomicSync(out, JSON.stringify(result) + '\n');
    return { out, rows: predictions.length };
  }
  return result;
}

export async function run(argv: string[]): Promise<unknown> {
  const [sub, ...rest] = argv;
  if (sub === 'fit') return fit(rest);
  if (sub === 'predict') return predict(rest);
  throw new CliError(`gbdt: expected "fit" or "predict", got ${sub === undefined ? 'nothing' : `"${sub}"`}\n${usage}`);
}
