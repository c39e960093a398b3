/**
 * The recipe sweep behind the bundled model's card ("Fine-tuning recipe"): fine-tune single-task
 * classifiers of a few tasks under several training settings and seeds, on the experiment's own
 * split (the contract's defaults: duplicates kept on one side, a validation part of the training
 * side), and record per run the test F1 at argmax and at a threshold chosen on validation, the
 * share of test documents predicted positive, and whether the run collapsed.
 *
 *   npx tsx scripts/recipe/sweep.ts --data demo|DIR [--format trecis] --tasks a,b --settings NAME,…
 *        --seeds 1,2 [--max-train-docs 500] [--validation-fraction F] [--min-positive-share S]
 *        [--out .recipe/runs.jsonl]
 *
 * Settings are named in SETTINGS below. Every finished run is appended to --out (one JSON line);
 * runs already there are skipped, so the sweep is idempotent and resumes after an interruption.
 * Prints a summary per (data, setting): runs, collapses, mean test F1 (argmax and tuned).
 * Nothing of the documents' text is written.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError, parseArgs } from '../../src/cli/args';
import { loadDemo } from '../../src/cli/commands/experiment';
import { folderSource } from '../../src/lib/bert/file-source.node.js';
import { loadBert } from '../../src/lib/bert/load';
import { DEFAULT_VALIDATION_FRACTION } from '../../src/lib/data/split';
import { importDataset } from '../../src/lib/data/import';
import { readInputFiles } from '../../src/lib/data/read-files.node.js';
import type { Dataset } from '../../src/lib/data/schema';
import { prepareData } from '../../src/lib/pipeline/prepare';
import { resolveSpec } from '../../src/lib/pipeline/spec';
import { initBackend } from '../../src/lib/runtime/backend.node.js';
import { evaluate } from '../../src/lib/train/evaluate';
import { fineTune, type TrainExample } from '../../src/lib/train/fine-tune';
import { binaryMetrics } from '../../src/lib/train/metrics';
import { chooseThreshold, predictAt } from '../../src/lib/train/threshold';
import type { TrainingSettings } from '../../src/lib/train/training-settings';
import { runScript } from '../run-script';

type Setting = Omit<TrainingSettings, 'seed'> & { maxLength: number };
const BASE = { warmupFraction: 0.1, weightDecay: 0.01, clipNorm: 1, dropout: true, classBalanced: false, maxLength: 128 };
/** The settings tried (the contract's small grid before this sweep: lr 3e-4 and 1e-3, 3 epochs, batch 16, unbalanced, 128 tokens). */
export const SETTINGS: Record<string, Setting> = {
  // 64 tokens: the measured sweep's length (half the time of 128 on one core; tweets are shorter anyway).
  'lr3e-4-len64': { ...BASE, lr: 3e-4, epochs: 3, batch: 16, maxLength: 64 },
  'lr1e-3-len64': { ...BASE, lr: 1e-3, epochs: 3, batch: 16, maxLength: 64 },
  'lr3e-4-bal-len64': { ...BASE, lr: 3e-4, epochs: 3, batch: 16, classBalanced: true, maxLength: 64 },
  'lr1e-3-bal-len64': { ...BASE, lr: 1e-3, epochs: 3, batch: 16, classBalanced: true, maxLength: 64 },
  'lr1e-4-bal-len64': { ...BASE, lr: 1e-4, epochs: 3, batch: 16, classBalanced: true, maxLength: 64 },
  'lr3e-4-bal': { ...BASE, lr: 3e-4, epochs: 3, batch: 16, classBalanced: true },
  'lr1e-3-bal': { ...BASE, lr: 1e-3, epochs: 3, batch: 16, classBalanced: true },
  // The committed reference runs' recipe (results/*/spec.json): 2 epochs, 48 tokens.
  'ref-len48': { ...BASE, lr: 3e-4, epochs: 2, batch: 16, classBalanced: true, maxLength: 48 },
};

export interface RunRow {
  data: string; task: string; setting: string; seed: number; maxTrainDocs: number;
  /** The split's validation fraction (absent in rows written before it was an argument: the default). */
  validationFraction?: number;
  /** spec.minTrainPositiveShare (absent in rows written before it existed: 0). */
  minPositiveShare?: number;
  /** The base model's folder (absent in rows written before it was recorded: the bundled model). */
  model?: string;
  trainDocs: number; trainPositives: number; validationPositives: number; testPositives: number; testDocs: number;
  f1: number; positiveShare: number; validationF1: number;
  threshold: number; tunedValidationF1: number; tunedF1: number; tunedPositiveShare: number;
  collapsed: boolean; tunedCollapsed: boolean; trainSeconds: number;
}
const BUNDLED_MODEL = 'models/ts-bert-l4-h128';
const keyOf = (r: Pick<RunRow, 'data' | 'task' | 'setting' | 'seed' | 'maxTrainDocs' | 'validationFraction' | 'minPositiveShare' | 'model'>) =>
  JSON.stringify([r.data, r.task, r.setting, r.seed, r.maxTrainDocs, r.validationFraction ?? DEFAULT_VALIDATION_FRACTION, r.minPositiveShare ?? 0, r.model ?? BUNDLED_MODEL]);
/** The collapse: F1 0, or ≥ 95 % of test documents predicted positive. */
const collapsed = (f1: number, positiveShare: number) => f1 === 0 || positiveShare >= 0.95;

async function main(argv: string[]) {
  const args = parseArgs(argv, ['data', 'format', 'tasks', 'settings', 'seeds', 'max-train-docs', 'validation-fraction', 'min-positive-share', 'out', 'model']);
  const data = args.required('data');
  const names = args.required('settings').split(',');
  for (const n of names) if (!SETTINGS[n]) throw new CliError(`--settings: no setting "${n}"; known: ${Object.keys(SETTINGS).join(', ')}`);
  const seeds = args.required('seeds').split(',').map(Number);
  const maxTrainDocs = args.int('max-train-docs', 500);
  const minPositiveShare = args.has('min-positive-share') ? Number(args.required('min-positive-share')) : 0;
  const validationFraction = args.has('validation-fraction') ? Number(args.required('validation-fraction')) : DEFAULT_VALIDATION_FRACTION;
  const out = args.get('out') ?? '.recipe/runs.jsonl';
  mkdirSync(path.dirname(out), { recursive: true });
  const done = new Set<string>();
  if (existsSync(out)) for (const line of readFileSync(out, 'utf8').split('\n').filter(Boolean)) done.add(keyOf(JSON.parse(line) as RunRow));

  let dataset: Dataset;
  if (data === 'demo') dataset = await loadDemo('debtags');
  else dataset = importDataset((args.get('format') ?? 'trecis') as 'trecis', await readInputFiles(data), { name: path.basename(path.resolve(data)) });
  const dataName = data === 'demo' ? 'debtags' : dataset.name;
  const tasks = args.required('tasks').split(',');
  const spec = resolveSpec({ dataset: { kind: 'demo', name: 'x' }, model: { kind: 'folder', path: 'x' }, tasks, maxTrainDocs, minTrainPositiveShare: minPositiveShare, seed: 0, split: { validationFraction } });
  const prepared = prepareData(dataset, spec);
  for (const t of tasks) if (!prepared.trainDocs.has(t)) throw new CliError(`task ${t} left out: ${prepared.notes.join(' ')}`);

  await initBackend('wasm');
  const modelDir = args.get('model') ?? BUNDLED_MODEL;
  const { model: base, tokenizer } = await loadBert(folderSource(modelDir), { seed: 0 });
  const docs = prepared.dataset.docs;
  const examples = (task: string, idx: readonly number[], maxLength: number): TrainExample[] =>
    idx.map((i) => ({ inputIds: tokenizer.encode(docs[i].text, maxLength).inputIds, label: docs[i].labels.includes(task) ? 1 : 0 }));
  const share = (p: number[]) => p.reduce((a, b) => a + b, 0) / p.length;
  for (const name of names) {
    const s = SETTINGS[name];
    for (const task of tasks) {
      const train = examples(task, prepared.trainDocs.get(task)!, s.maxLength);
      const val = examples(task, prepared.validationDocs, s.maxLength);
      const test = examples(task, prepared.testDocs, s.maxLength);
      for (const seed of seeds) {
        const key = { data: dataName, task, setting: name, seed, maxTrainDocs, validationFraction, minPositiveShare, model: modelDir };
        if (done.has(keyOf(key))) continue;
        const { maxLength: _m, ...settings } = s;
        const result = await fineTune(base, train, { ...settings, seed }, { padId: tokenizer.padId });
        try {
          const ev = await evaluate(result.model, test, { padId: tokenizer.padId });
          const vv = await evaluate(result.model, val, { padId: tokenizer.padId });
          const chosen = chooseThreshold(val.map((e) => e.label), vv.probabilities);
          const tunedPred = predictAt(ev.probabilities, chosen.threshold);
          const tuned = binaryMetrics(test.map((e) => e.label), tunedPred);
          const row: RunRow = {
            ...key, trainDocs: train.length, trainPositives: train.filter((e) => e.label).length,
            validationPositives: val.filter((e) => e.label).length, testPositives: test.filter((e) => e.label).length, testDocs: test.length,
            f1: ev.f1, positiveShare: share(ev.predictions), validationF1: vv.f1,
            threshold: chosen.threshold, tunedValidationF1: chosen.f1, tunedF1: tuned.f1, tunedPositiveShare: share(tunedPred),
            collapsed: collapsed(ev.f1, share(ev.predictions)), tunedCollapsed: collapsed(tuned.f1, share(tunedPred)),
            trainSeconds: result.wallTimeMs / 1000,
          };
          appendFileSync(out, JSON.stringify(row) + '\n');
          process.stderr.write(`${name} ${task} seed ${seed}: f1 ${ev.f1.toFixed(3)} (pos ${row.positiveShare.toFixed(2)}), tuned ${tuned.f1.toFixed(3)} @${chosen.threshold.toFixed(3)}, ${row.trainSeconds.toFixed(0)} s\n`);
        } finally {
          result.model.dispose();
        }
      }
    }
  }
  base.dispose();
  return summarize(readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunRow));
}

/** Per (data, setting): runs, collapses at argmax and at the tuned threshold, mean test F1s. */
export function summarize(rows: RunRow[]) {
  const groups = new Map<string, RunRow[]>();
  for (const r of rows) {
    const k = `${r.data} ${r.setting} docs=${r.maxTrainDocs} validation=${r.validationFraction ?? DEFAULT_VALIDATION_FRACTION} positive-share=${r.minPositiveShare ?? 0} model=${r.model ?? BUNDLED_MODEL}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return [...groups].map(([k, rs]) => ({
    group: k, runs: rs.length,
    collapsed: rs.filter((r) => r.collapsed).length, tunedCollapsed: rs.filter((r) => r.tunedCollapsed).length,
    meanF1: +mean(rs.map((r) => r.f1)).toFixed(3), meanTunedF1: +mean(rs.map((r) => r.tunedF1)).toFixed(3),
    perTask: Object.fromEntries([...new Set(rs.map((r) => r.task))].map((t) => [t, rs.filter((r) => r.task === t).map((r) => `${r.f1.toFixed(2)}/${r.tunedF1.toFixed(2)}`).join(' ')])),
  }));
}

runScript(import.meta.url, main);
