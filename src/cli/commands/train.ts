/** `train`: fine-tune a binary classifier for one task of a JSONL data set; save it; print metrics. */
import { parseArgs, CliError } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { folderSource, writeFolder } from '../../lib/bert/file-source.node.js';
import { loadBert, saveBert } from '../../lib/bert/load';
import { fineTune, type FineTuneSettings, type TrainExample } from '../../lib/train/fine-tune';
import { evaluate } from '../../lib/train/evaluate';
import { degenerateSides } from '../../lib/data/tasks';
import { importDataset } from '../../lib/data/import';
import { readInputFiles } from '../../lib/data/read-files.node.js';
import type { Dataset, Doc } from '../../lib/data/schema';
import { splitDataset } from '../../lib/data/split';
import { flagUsage, flagValue, gridValueFlag, gridValueUsage } from '../../lib/pipeline/spec-flags';
import { maxLengthFor, optionAt } from '../../lib/pipeline/spec-options';
import { OptionValueError } from '../../lib/pipeline/spec-text';
import { subSeed } from '../../lib/util/rng';
import { requireFolderOrNothing } from '../../lib/util/paths.node.js';

/** The experiment options `train` takes too (same flags, defaults and ranges as `experiment`). */
const TRAIN_OPTION_PATHS = [
  'maxLength', 'split.testFraction', 'training.warmupFraction', 'training.weightDecay', 'training.clipNorm',
  'training.classBalanced', 'training.dropout', 'keepHead',
] as const;
const flagOf = (p: string) => optionAt(p).cli!;
const TRAIN_SWITCHES = TRAIN_OPTION_PATHS.filter((p) => optionAt(p).kind === 'boolean').map(flagOf);
const TRAIN_VALUES = TRAIN_OPTION_PATHS.filter((p) => optionAt(p).kind !== 'boolean').map(flagOf);

export const usage = `usage: npm run cli -- train --model DIR --data FILE.jsonl --task NAME --lr X --epochs N --batch N --seed N --out DIR
       [options below] [--backend wasm|cpu]
  FILE lines: {"text": "...", "labels": ["A","B"], "split": "train"|"test" (optional)}.
  A document is positive for the task when its labels contain NAME. Lines without a split are
  split by seed, --test-fraction of them to test (stratified on the task). Writes an HF-format
  folder to --out and prints metrics on the test split and the training wall time.
${gridValueUsage()}
${flagUsage(['seed', ...TRAIN_OPTION_PATHS])}`;

/** The documented input, read by the data layer's JSON Lines importer: "labels" is a required array. */
const TRAIN_INPUT = { textColumn: 'text', labelsColumn: 'labels', labelSeparator: 'json', requireLabelsField: true } as const;

/**
 * Documents that carry no split are split with the seed, `testFraction` of THEM to test (the
 * lines marked "split" keep it and do not count towards the fraction), stratified on the task so
 * that both sides get positives. Returns every document, in file order, with its split.
 */
export function splitUnassigned(ds: Dataset, task: string, testFraction: number, seed: number): Doc[] {
  const free = ds.docs.filter((d) => d.split === undefined);
  if (free.length === 0) return ds.docs;
  if (testFraction === 0) return ds.docs.map((d) => (d.split ? d : { ...d, split: 'train' }));
  const assigned = splitDataset({ ...ds, docs: free }, { seed: subSeed(seed, 'split'), testFraction, tasks: [task] }).docs;
  const splitOf = new Map(assigned.map((d) => [d.id, d.split]));
  return ds.docs.map((d) => (d.split ? d : { ...d, split: splitOf.get(d.id) }));
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['model', 'data', 'task', 'lr', 'epochs', 'batch', 'seed', 'out', 'backend', ...TRAIN_VALUES], TRAIN_SWITCHES);
  const dataFile = args.required('data');
  const task = args.required('task');
  const outDir = args.required('out');
  for (const f of ['lr', 'epochs', 'batch', 'seed']) args.required(f);
  let settings: FineTuneSettings;
  let testFraction: number;
  let maxLengthOption: number | null;
  try {
    const option = <T>(path: (typeof TRAIN_OPTION_PATHS)[number] | 'seed') => flagValue(args, path) as T;
    settings = {
      lr: gridValueFlag(args, 'lr')!,
      epochs: gridValueFlag(args, 'epochs')!,
      batch: gridValueFlag(args, 'batch')!,
      seed: option<number>('seed'),
      warmupFraction: option<number>('training.warmupFraction'),
      weightDecay: option<number>('training.weightDecay'),
      clipNorm: option<number>('training.clipNorm'),
      dropout: option<boolean>('training.dropout'),
      classBalanced: option<boolean>('training.classBalanced'),
      keepHead: option<boolean>('keepHead'),
      labelNames: [`not ${task}`, task] as const,
    };
    testFraction = option<number>('split.testFraction');
    maxLengthOption = option<number | null>('maxLength');
  } catch (e) {
    throw e instanceof OptionValueError ? new CliError(e.message) : e;
  }
  const seed = settings.seed;

  // Bad data is not a usage error (exit 1, see main.ts); the importer's message names file, line and field.
  const dataset: Dataset = importDataset('jsonl', await readInputFiles(dataFile), { table: TRAIN_INPUT });
  await requireFolderOrNothing(outDir, '--out');
  for (const note of dataset.source.notes) process.stderr.write(`data: ${note}\n`);
  if (!dataset.tasks.includes(task)) {
    throw new CliError(`task "${task}" does not occur in the labels of ${dataFile}; labels there: ${dataset.tasks.join(', ') || '(none)'}`);
  }
  const docs = splitUnassigned(dataset, task, testFraction, seed);
  const split = { train: docs.filter((d) => d.split === 'train'), test: docs.filter((d) => d.split === 'test') };
  const isPositive = (d: Doc) => (d.labels.includes(task) ? 1 : 0);
  const trainPositives = split.train.filter(isPositive).length;
  if (split.train.length === 0) throw new Error(`${dataFile}: no training documents after the split`);
  if (split.test.length === 0) throw new Error(`${dataFile}: no test documents; use --test-fraction > 0 or mark some lines "split": "test"`);
  // A side with one class only gives a meaningless F1 (1.0 or 0): refuse rather than report it.
  const degenerate = degenerateSides(trainPositives, split.train.length, split.test.filter(isPositive).length, split.test.length);
  if (degenerate) throw new Error(`task "${task}" of ${dataFile} cannot be trained and evaluated: ${degenerate}`);

  const backend = await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  const { model: base, tokenizer } = await loadBert(folderSource(args.required('model')), { seed });
  // The experiment's rule: no --max-length = the model's limit, at most AUTO_MAX_LENGTH.
  const maxLength = maxLengthFor(maxLengthOption, base.config.max_position_embeddings);
  if (maxLength > base.config.max_position_embeddings) {
    base.dispose();
    throw new CliError(`--max-length ${maxLength} exceeds the model's max_position_embeddings (${base.config.max_position_embeddings})`);
  }
  const toExamples = (ds: Doc[]): TrainExample[] => ds.map((d) => ({ inputIds: tokenizer.encode(d.text, maxLength).inputIds, label: isPositive(d) }));
  const train = toExamples(split.train);
  const test = toExamples(split.test);
  const result = await fineTune(base, train, settings, { padId: tokenizer.padId });
  base.dispose();
  try {
    const metrics = await evaluate(result.model, test, { padId: tokenizer.padId });
    await writeFolder(outDir, await saveBert(result.model, tokenizer));
    const { probabilities: _p, predictions: _q, ...scores } = metrics;
    return {
      task,
      out: outDir,
      backend: backend.name,
      train: { documents: train.length, positives: trainPositives },
      test: { documents: test.length, positives: test.filter((e) => e.label === 1).length },
      metrics: scores,
      wall_time_s: result.wallTimeMs / 1000,
      examples_seen: result.examplesSeen,
      steps: result.steps,
      final_loss: result.losses.at(-1),
      notes: result.model.notes,
    };
  } finally {
    result.model.dispose();
  }
}
