/**
 * Evidence that pretraining matters: fine-tune classifiers for a few demo-data tasks from the
 * pretrained model and from random initialisation (same shape, tokenizer, grid, seeds and data),
 * and compare test F1.
 *
 *   npx tsx scripts/pretrain/evidence.ts [--model models/ts-bert-l4-h128] [--tokenizer <folder>]
 *        [--dataset datasets/debtags/debtags.json] [--tasks works-with::text,works-with::mail,works-with::video]
 *        [--train-size 1000] [--lrs 3e-4,1e-3] [--epochs 3] [--batch-size 16] [--seeds 1,2]
 *        [--inits pretrained,random] [--max-length 128] [--cache .pretrain/evidence-runs.jsonl]
 *
 * Every finished fine-tuning is appended to --cache (one JSON line), and runs already there are
 * not repeated: an interrupted or partial invocation (e.g. `--inits random` first) continues.
 * Prints JSON: every run, and per task the best and mean F1 over the grid for each initialisation.
 * Training uses a seeded sample of --train-size documents of the train split (the same for every
 * run) to keep ~12 fine-tunings on one wasm core affordable; testing uses the whole test split.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { CliError, parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';
import { SPEC_DEFAULTS } from '../../src/lib/pipeline/spec-options';
import { folderSource } from '../../src/lib/bert/file-source.node.js';
import { createBertModel } from '../../src/lib/bert/init';
import { loadBert, loadConfig } from '../../src/lib/bert/load';
import type { BertModel } from '../../src/lib/bert/model';
import { BertTokenizer } from '../../src/lib/bert/tokenizer';
import { bundledConfig } from '../../src/lib/pretrain/model-config';
import { initBackend } from '../../src/lib/runtime/backend.node.js';
import { evaluate } from '../../src/lib/train/evaluate';
import { fineTune, type TrainExample } from '../../src/lib/train/fine-tune';
import { createRng, shuffleInPlace } from '../../src/lib/util/rng';

interface Doc { id: string; text: string; labels: string[]; split?: string }
interface RunKey { task: string; init: 'pretrained' | 'random'; lr: number; seed: number; epochs: number; batchSize: number; trainSize: number; maxLength: number }
interface RunResult extends RunKey { f1: number; accuracy: number; precision: number; recall: number; trainPositives: number; testPositives: number; trainSeconds: number }

const keyOf = (k: RunKey) => JSON.stringify([k.task, k.init, k.lr, k.seed, k.epochs, k.batchSize, k.trainSize, k.maxLength]);

async function main(argv: string[]) {
  const args = parseArgs(argv, ['model', 'tokenizer', 'dataset', 'tasks', 'train-size', 'lrs', 'epochs', 'batch-size', 'seeds', 'inits', 'max-length', 'cache']);
  await initBackend('wasm');
  const modelDir = args.get('model') ?? 'models/ts-bert-l4-h128';
  const tokenizer = await BertTokenizer.fromSource(folderSource(args.get('tokenizer') ?? modelDir));
  const datasetPath = args.get('dataset') ?? 'datasets/debtags/debtags.json';
  const docs = (JSON.parse(readFileSync(datasetPath, 'utf8')) as { docs: Doc[] }).docs;
  const tasks = (args.get('tasks') ?? 'works-with::text,works-with::mail,works-with::video').split(',');
  const lrs = (args.get('lrs') ?? '3e-4,1e-3').split(',').map(Number);
  const seeds = (args.get('seeds') ?? '1,2').split(',').map(Number);
  const inits = (args.get('inits') ?? 'pretrained,random').split(',') as RunKey['init'][];
  for (const i of inits) if (i !== 'pretrained' && i !== 'random') throw new CliError(`--inits: "${i}" is neither pretrained nor random`);
  const epochs = args.int('epochs', 3);
  const batchSize = args.int('batch-size', 16);
  const trainSize = args.int('train-size', 1000);
  const maxLength = args.int('max-length', 128);
  const cachePath = args.get('cache') ?? '.pretrain/evidence-runs.jsonl';

  const allTasks = new Set(docs.flatMap((d) => d.labels));
  for (const t of tasks) if (!allTasks.has(t)) throw new CliError(`${datasetPath} has no task "${t}"; tasks: ${[...allTasks].sort().join(', ')}`);
  const trainDocs = shuffleInPlace(docs.filter((d) => d.split === 'train'), createRng(20260)).slice(0, trainSize);
  const testDocs = docs.filter((d) => d.split === 'test');
  const ids = new Map<string, number[]>();
  for (const d of [...trainDocs, ...testDocs]) ids.set(d.id, tokenizer.encode(d.text, maxLength).inputIds);
  const examples = (set: Doc[], task: string): TrainExample[] => set.map((d) => ({ inputIds: ids.get(d.id)!, label: d.labels.includes(task) ? 1 : 0 }));

  const cache = new Map<string, RunResult>();
  if (existsSync(cachePath)) {
    for (const line of readFileSync(cachePath, 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as RunResult;
      cache.set(keyOf(r), r);
    }
  }

  let pretrained: BertModel | undefined;
  const baseFor = async (init: RunKey['init'], seed: number): Promise<BertModel> => {
    if (init === 'pretrained') {
      pretrained ??= (await loadBert(folderSource(modelDir), { head: 'encoder' })).model;
      return pretrained;
    }
    // Same shape as the pretrained model, fresh weights (encoder and pooler) from the run's seed.
    // (Before the model folder exists, its shape as the pretrain command builds it by default.)
    const config = existsSync(`${modelDir}/config.json`)
      ? await loadConfig(folderSource(modelDir))
      : bundledConfig({ hidden: 128, layers: 4, vocabSize: tokenizer.vocabSize, maxLength: 128 });
    return createBertModel(config, { seed, groups: ['encoder', 'pooler'] });
  };

  const results: RunResult[] = [];
  for (const task of tasks) {
    const train = examples(trainDocs, task);
    const test = examples(testDocs, task);
    for (const init of inits) {
      for (const lr of lrs) {
        for (const seed of seeds) {
          const key: RunKey = { task, init, lr, seed, epochs, batchSize, trainSize, maxLength };
          const done = cache.get(keyOf(key));
          if (done) {
            results.push(done);
            continue;
          }
          const base = await baseFor(init, seed);
          const t0 = performance.now();
          const ft = await fineTune(base, train, { ...SPEC_DEFAULTS.training, lr, epochs, batch: batchSize, seed, warmupFraction: 0.1, classBalanced: true }, { padId: tokenizer.padId });
          const trainSeconds = (performance.now() - t0) / 1000;
          const ev = await evaluate(ft.model, test, { padId: tokenizer.padId });
          ft.model.dispose();
          if (init === 'random') base.dispose();
          const r: RunResult = {
            ...key,
            f1: ev.f1,
            accuracy: ev.accuracy,
            precision: ev.precision,
            recall: ev.recall,
            trainPositives: train.filter((e) => e.label === 1).length,
            testPositives: test.filter((e) => e.label === 1).length,
            trainSeconds,
          };
          appendFileSync(cachePath, JSON.stringify(r) + '\n');
          process.stderr.write(`[evidence] ${task} ${init} lr ${lr} seed ${seed}: F1 ${ev.f1.toFixed(3)} accuracy ${ev.accuracy.toFixed(3)} (${trainSeconds.toFixed(0)} s)\n`);
          results.push(r);
        }
      }
    }
  }
  pretrained?.dispose();

  const table = tasks.map((task) => {
    const row: Record<string, unknown> = { task };
    for (const init of inits) {
      const rs = results.filter((r) => r.task === task && r.init === init);
      row[init] = {
        bestF1: Math.max(...rs.map((r) => r.f1)),
        meanF1: rs.reduce((s, r) => s + r.f1, 0) / rs.length,
        f1ByLr: Object.fromEntries(lrs.map((lr) => [String(lr), rs.filter((r) => r.lr === lr).reduce((s, r, _, a) => s + r.f1 / a.length, 0)])),
      };
    }
    const any = results.find((r) => r.task === task)!;
    row.trainPositives = any.trainPositives;
    row.testPositives = any.testPositives;
    return row;
  });
  return {
    dataset: datasetPath,
    model: modelDir,
    grid: { lrs, epochs, batchSize, seeds, warmupFraction: 0.1, classBalanced: true, maxLength },
    trainDocs: trainDocs.length,
    testDocs: testDocs.length,
    table,
    runs: results,
  };
}

runScript(import.meta.url, main);
