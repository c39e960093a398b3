/** `train`: fine-tune a binary classifier for one task of a JSONL data set; save it; print metrics. */
import { parseArgs, CliError } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { folderSource, writeFolder } from '../../lib/bert/fileSource.node.js';
import { loadBert, saveBert } from '../../lib/bert/load';
import { fineTune, type TrainExample } from '../../lib/train/fineTune';
import { evaluate } from '../../lib/train/evaluate';
import { degenerateSides } from '../../lib/data/tasks';
import { importDataset } from '../../lib/data/import';
import { readInputFiles } from '../../lib/data/read-files.node.js';
import type { Dataset, Doc } from '../../lib/data/schema';
import { splitDataset } from '../../lib/data/split';
import { subSeed } from '../../lib/util/rng';
import { requireFolderOrNothing } from '../../lib/util/paths.node.js';

export const usage = `usage: npm run cli -- train --model DIR --data FILE.jsonl --task NAME --lr X --epochs N --batch N --seed N --out DIR
       [--max-length 128] [--warmup 0.1] [--weight-decay 0.01] [--test-fraction 0.2] [--clip 1.0]
       [--keep-head] [--class-balanced] [--no-dropout] [--backend wasm|cpu]
  FILE lines: {"text": "...", "labels": ["A","B"], "split": "train"|"test" (optional)}.
  A document is positive for the task when its labels contain NAME. Lines without a split are
  split by seed, --test-fraction of them to test (stratified on the task). Writes an HF-format
  folder to --out and prints metrics on the test split and the training wall time.`;

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
  const args = parseArgs(
    argv,
    ['model', 'data', 'task', 'lr', 'epochs', 'batch', 'seed', 'out', 'max-length', 'warmup', 'weight-decay', 'test-fraction', 'clip', 'backend'],
    ['keep-head', 'class-balanced', 'no-dropout'],
  );
  const dataFile = args.required('data');
  const task = args.required('task');
  const outDir = args.required('out');
  const seed = args.int('seed');
  const settings = {
    learningRate: args.number('lr'),
    epochs: args.int('epochs'),
    batchSize: args.int('batch'),
    seed,
    warmupFraction: args.number('warmup', 0.1),
    weightDecay: args.number('weight-decay', 0.01),
    clipNorm: args.number('clip', 1.0),
    keepHead: args.has('keep-head'),
    classBalanced: args.has('class-balanced'),
    dropout: !args.has('no-dropout'),
    labelNames: [`not ${task}`, task] as const,
  };
  if (!(settings.learningRate > 0)) throw new CliError(`--lr must be > 0, got ${settings.learningRate}`);
  if (settings.epochs < 1) throw new CliError(`--epochs must be ≥ 1`);
  if (settings.batchSize < 1) throw new CliError(`--batch must be ≥ 1`);

  const testFraction = args.number('test-fraction', 0.2);
  if (!(testFraction >= 0 && testFraction < 1)) throw new CliError(`--test-fraction must be in [0, 1), got ${testFraction}`);

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
  const maxLength = args.int('max-length', 128);
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
