/**
 * `split`: the train / validation / test split an experiment would use, as document ids, with its
 * leakage figures, so a split can be inspected, compared across `--by` modes, or reused elsewhere.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs, CliError } from '../args';
import { ImportError } from '../../lib/data/errors';
import { importDataset, IMPORT_FORMATS } from '../../lib/data/import';
import { splitLeakage } from '../../lib/data/leakage';
import { readInputFiles } from '../../lib/data/read-files.node.js';
import type { Dataset, ImportFormat } from '../../lib/data/schema';
import { DEFAULT_SPLIT_BY, DEFAULT_TEST_FRACTION, DEFAULT_VALIDATION_FRACTION, SPLIT_BY, splitWithValidation, type SplitBy } from '../../lib/data/split';

const MERGES = ['union', 'last', 'intersection', 'majority'] as const;

export const usage = `usage: npm run cli -- split --data PATH --format ${IMPORT_FORMATS.join('|')} --out FILE.json
       [--seed 0] [--test-fraction ${DEFAULT_TEST_FRACTION}] [--validation-fraction ${DEFAULT_VALIDATION_FRACTION}]
       [--by ${SPLIT_BY.join('|')}] [--merge ${MERGES.join('|')}]
  Splits the data set as an experiment does: --test-fraction of the documents to test, then
  --validation-fraction of the training side to validation (0: none), each by seeded iterative
  stratification over the tasks, keeping groups on one side:
    duplicates (default)  documents with the same normalized text (lowercase; no URLs, @handles,
                          leading rt; runs of characters outside [0-9a-z] as one space)
    event                 each event (the "new crisis" question; needs two events or more)
    none                  no groups (the split made before groups existed, for the same seed)
  --merge: how TREC-IS assessor judgements of one tweet combine (default union; last = the
  counts of the data README).
  Writes {"by","seed","testFraction","validationFraction","train":[ids],"validation":[ids],
  "test":[ids],"leakage":{...}} (ids: the data set's document ids; TREC-IS: the postID) and
  prints the sizes and the leakage figures.`;

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['data', 'format', 'seed', 'test-fraction', 'validation-fraction', 'by', 'merge', 'out']);
  const data = args.required('data');
  const out = args.required('out');
  const format = args.required('format') as ImportFormat;
  if (!IMPORT_FORMATS.includes(format)) throw new CliError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got "${format}"`);
  const seed = args.int('seed', 0);
  if (seed < 0) throw new CliError(`--seed must be an integer ≥ 0, got ${seed}`);
  const testFraction = args.number('test-fraction', DEFAULT_TEST_FRACTION);
  if (!(testFraction > 0 && testFraction < 1)) throw new CliError(`--test-fraction must be in (0, 1), got ${testFraction}`);
  const validationFraction = args.number('validation-fraction', DEFAULT_VALIDATION_FRACTION);
  if (!(validationFraction >= 0 && validationFraction < 1)) throw new CliError(`--validation-fraction must be in [0, 1), got ${validationFraction}`);
  const by = (args.get('by') ?? DEFAULT_SPLIT_BY) as SplitBy;
  if (!SPLIT_BY.includes(by)) throw new CliError(`--by must be one of ${SPLIT_BY.join(', ')}, got "${by}"`);
  const merge = args.get('merge') as (typeof MERGES)[number] | undefined;
  if (merge !== undefined && !MERGES.includes(merge)) throw new CliError(`--merge must be one of ${MERGES.join(', ')}, got "${merge}"`);
  if (merge !== undefined && format !== 'trecis') throw new CliError('--merge applies to --format trecis only');

  let dataset: Dataset;
  try {
    dataset = importDataset(format, await readInputFiles(data), { trecis: merge ? { merge } : undefined });
  } catch (e) {
    if (e instanceof ImportError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`--data ${data}: ${(e as Error).message}`);
    throw e;
  }
  let split;
  try {
    split = splitWithValidation(dataset, { seed, testFraction, validationFraction, by });
  } catch (e) {
    // One event with --by event, and the like: the user's choice of flags, so a usage error.
    if (/split by event/.test((e as Error).message)) throw new CliError(`--by event: ${(e as Error).message}`);
    throw e;
  }
  const leakage = splitLeakage(dataset.docs, split);
  const file = { by, seed, testFraction, validationFraction, train: split.train, validation: split.validation, test: split.test, leakage };
  try {
    await writeFile(out, JSON.stringify(file) + '\n');
  } catch (e) {
    throw new CliError(`--out ${out}: ${(e as Error).message}`);
  }
  for (const note of split.dataset.source.notes) process.stderr.write(`data: ${note}\n`);
  return {
    out, dataset: dataset.name, by, seed, testFraction, validationFraction,
    documents: dataset.docs.length, train: split.train.length, validation: split.validation.length, test: split.test.length, leakage,
  };
}
