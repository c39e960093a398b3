/** `train`: fine-tune a binary classifier for one task of a JSONL data set; save it; print metrics. */
import { readFile } from 'node:fs/promises';
import { parseArgs, CliError } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { folderSource, writeFolder } from '../../lib/bert/fileSource.node.js';
import { loadBert, saveBert } from '../../lib/bert/load';
import { fineTune, type TrainExample } from '../../lib/train/fineTune';
import { evaluate } from '../../lib/train/evaluate';
import { labelsOf, parseTaskJsonl, splitDocs, TaskDataError, type LabeledDoc } from '../../lib/train/taskData';

export const usage = `usage: npm run cli -- train --model DIR --data FILE.jsonl --task NAME --lr X --epochs N --batch N --seed N --out DIR
       [--max-length 128] [--warmup 0.1] [--weight-decay 0.01] [--test-fraction 0.2] [--clip 1.0]
       [--keep-head] [--class-balanced] [--no-dropout] [--backend wasm|cpu]
  FILE lines: {"text": "...", "labels": ["A","B"], "split": "train"|"test" (optional)}.
  A document is positive for the task when its labels contain NAME. Writes an HF-format folder to
  --out and prints metrics on the test split and the training wall time.`;

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

  let docs: LabeledDoc[];
  let split: { train: LabeledDoc[]; test: LabeledDoc[] };
  try {
    docs = parseTaskJsonl(await readFile(dataFile, 'utf8'), dataFile);
    const known = labelsOf(docs);
    if (!known.includes(task)) {
      throw new TaskDataError(`task "${task}" does not occur in the labels of ${dataFile}; labels there: ${known.join(', ') || '(none)'}`);
    }
    split = splitDocs(docs, args.number('test-fraction', 0.2), seed);
  } catch (err) {
    if (err instanceof TaskDataError) throw new CliError(err.message);
    throw err;
  }
  const isPositive = (d: LabeledDoc) => (d.labels.includes(task) ? 1 : 0);
  const trainPositives = split.train.filter(isPositive).length;
  if (split.train.length === 0) throw new CliError(`${dataFile}: no training documents after the split`);
  if (trainPositives === 0) throw new CliError(`task "${task}" has no positive documents in the training split of ${dataFile}`);
  if (split.test.length === 0) throw new CliError(`${dataFile}: no test documents; use --test-fraction > 0 or mark some lines "split": "test"`);

  const backend = await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  const { model: base, tokenizer } = await loadBert(folderSource(args.required('model')), { seed });
  const maxLength = args.int('max-length', 128);
  if (maxLength > base.config.max_position_embeddings) {
    base.dispose();
    throw new CliError(`--max-length ${maxLength} exceeds the model's max_position_embeddings (${base.config.max_position_embeddings})`);
  }
  const toExamples = (ds: LabeledDoc[]): TrainExample[] => ds.map((d) => ({ inputIds: tokenizer.encode(d.text, maxLength).inputIds, label: isPositive(d) }));
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
