/**
 * The corpus of a crisis-adapted variant of the bundled model: continued masked-LM pretraining on the
 * training side of the shared crisis data sets, never on their test side (the model card's section
 * "A crisis-adapted variant"):
 *
 *   npx tsx scripts/pretrain/crisis-corpus.ts --data ../shared/data/trecis-2020a:trecis \
 *     --data ../shared/data/crisislex-t26:crisislex [--seed 0] [--test-fraction 0.2] [--by duplicates] \
 *     [--heldout-fraction 0.02] [--out-dir .pretrain/crisis]
 *
 * Each data set is split as an experiment with the same --seed, --test-fraction and --by splits it
 * (src/lib/pretrain/training-side-corpus.ts); only training-side texts are written, each once.
 * Writes corpus.txt (one text per line, a blank line after each: every tweet is its own document)
 * and heldout.txt (a seeded share of the training-side texts, removed from corpus.txt, for MLM
 * accuracy) into the ignored --out-dir; then `scripts/pretrain/sequences.ts --corpus … --heldout …`
 * packs them. The texts are the data sets' own and stay on this machine: nothing here is committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, parseArgs } from '../../src/cli/args';
import { importDataset, IMPORT_FORMATS } from '../../src/lib/data/import';
import { readInputFiles } from '../../src/lib/data/read-files.node.js';
import type { ImportFormat } from '../../src/lib/data/schema';
import { DEFAULT_SPLIT_BY, DEFAULT_TEST_FRACTION, SPLIT_BY, type SplitBy } from '../../src/lib/data/split';
import { trainingSideCorpus } from '../../src/lib/pretrain/training-side-corpus';
import { createRng } from '../../src/lib/util/rng';
import { runScript } from '../run-script';

export async function main(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['data', 'seed', 'test-fraction', 'by', 'heldout-fraction', 'out-dir']);
  const inputs = args.all('data').map((d) => {
    const at = d.lastIndexOf(':');
    const format = d.slice(at + 1) as ImportFormat;
    if (at <= 0 || !IMPORT_FORMATS.includes(format)) throw new CliError(`--data takes PATH:FORMAT (FORMAT one of ${IMPORT_FORMATS.join(', ')}), got "${d}"`);
    return { path: d.slice(0, at), format };
  });
  if (inputs.length === 0) throw new CliError('give at least one --data PATH:FORMAT');
  const by = (args.get('by') ?? DEFAULT_SPLIT_BY) as SplitBy;
  if (!SPLIT_BY.includes(by)) throw new CliError(`--by must be one of ${SPLIT_BY.join(', ')}, got "${by}"`);
  const split = { seed: args.int('seed', 0), testFraction: args.number('test-fraction', DEFAULT_TEST_FRACTION), by };
  const heldoutFraction = args.number('heldout-fraction', 0.02);
  if (!(heldoutFraction >= 0 && heldoutFraction < 1)) throw new CliError(`--heldout-fraction must be in [0, 1), got ${heldoutFraction}`);
  const outDir = args.get('out-dir') ?? '.pretrain/crisis';

  const rng = createRng(split.seed + 1);
  const corpus: string[] = [];
  const heldout: string[] = [];
  const perDataset = [];
  for (const input of inputs) {
    const dataset = importDataset(input.format, await readInputFiles(input.path));
    const { texts, counts } = trainingSideCorpus(dataset, split);
    let held = 0;
    for (const t of texts) {
      if (rng.next() < heldoutFraction) {
        heldout.push(t);
        held++;
      } else corpus.push(t);
    }
    perDataset.push({ path: input.path, format: input.format, ...counts, heldout: held, words: texts.reduce((n, t) => n + t.split(' ').length, 0) });
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'corpus.txt'), corpus.map((t) => `${t}\n\n`).join(''));
  writeFileSync(join(outDir, 'heldout.txt'), heldout.join('\n') + '\n');
  const stats = { split, heldoutFraction, files: ['corpus.txt', 'heldout.txt'].map((f) => join(outDir, f)), texts: corpus.length, heldout: heldout.length, datasets: perDataset };
  writeFileSync(join(outDir, 'corpus-stats.json'), JSON.stringify(stats, null, 1) + '\n');
  return stats;
}

runScript(import.meta.url, main);
