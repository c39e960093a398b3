/**
 * Tokenises the pretraining corpus with the learnt vocabulary and packs it into sequences for MLM
 * pretraining, written as binary sequence files (src/lib/pretrain/sequence-file.ts):
 *
 *   npx tsx scripts/pretrain/sequences.ts --vocab <folder with vocab.txt> [--max-length 128]
 *        [--corpus .pretrain/corpus.txt] [--heldout .pretrain/heldout.txt] [--out-dir .pretrain]
 *
 * train-<L>.seq: corpus sentences packed consecutively ([CLS] s1 s2 … [SEP], a [SEP] between
 * documents); heldout-<L>.seq: one held-out sentence per sequence. Prints JSON stats, including the
 * unigram-frequency baseline on the held-out set masked with --mask-seed (the same masks the
 * pretraining evaluation draws with that seed), which the pretrained model must beat.
 */
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';
import { maskSequence } from '../../src/lib/pretrain/masking';
import { packSequences } from '../../src/lib/pretrain/packing';
import { encodeSequenceFile } from '../../src/lib/pretrain/sequence-file';
import { fitUnigram, scoreUnigram } from '../../src/lib/pretrain/unigram-baseline';
import { WordPieceEncoder } from '../../src/lib/pretrain/wordpiece-encoder';
import { BERT_SPECIAL_TOKENS } from '../../src/lib/pretrain/wordpiece-trainer';
import { createRng } from '../../src/lib/util/rng';

async function* corpusLines(path: string, encoder: WordPieceEncoder): AsyncGenerator<number[] | null> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) yield line === '' ? null : encoder.encode(line);
}

function stats(seqs: readonly ArrayLike<number>[], maxLength: number) {
  const tokens = seqs.reduce((n, s) => n + s.length, 0);
  return { sequences: seqs.length, tokens, meanLength: tokens / seqs.length, paddingShareAtMaxLength: 1 - tokens / (seqs.length * maxLength) };
}

async function main(argv: string[]) {
  const args = parseArgs(argv, ['vocab', 'max-length', 'corpus', 'heldout', 'out-dir', 'mask-seed']);
  const vocab = readFileSync(join(args.required('vocab'), 'vocab.txt'), 'utf8').split('\n').filter((t) => t !== '');
  const maxLength = args.int('max-length', 128);
  const outDir = args.get('out-dir') ?? '.pretrain';
  const t0 = Date.now();
  const encoder = new WordPieceEncoder(vocab);
  const id = (t: string) => vocab.indexOf(t);
  const pack = { maxLength, clsId: id('[CLS]'), sepId: id('[SEP]') };

  // packSequences takes a sync iterable; buffer the token lines (≈10M ids) first.
  const lines: (number[] | null)[] = [];
  for await (const l of corpusLines(args.get('corpus') ?? '.pretrain/corpus.txt', encoder)) lines.push(l);
  const train = [...packSequences(lines, { ...pack, documentBoundary: 'separator' })];
  const heldoutLines = readFileSync(args.get('heldout') ?? '.pretrain/heldout.txt', 'utf8').split('\n').filter(Boolean);
  const heldout = [...packSequences(heldoutLines.flatMap((l) => [encoder.encode(l), null]), { ...pack, documentBoundary: 'flush' })];

  const trainFile = join(outDir, `train-${maxLength}.seq`);
  const heldoutFile = join(outDir, `heldout-${maxLength}.seq`);
  writeFileSync(trainFile, encodeSequenceFile(train, vocab.length, maxLength));
  writeFileSync(heldoutFile, encodeSequenceFile(heldout, vocab.length, maxLength));

  const specialIds = BERT_SPECIAL_TOKENS.map(id);
  const maskSeed = args.int('mask-seed', 2024);
  const rng = createRng(maskSeed);
  const targets: number[] = [];
  for (const s of heldout) targets.push(...maskSequence(s, { vocabSize: vocab.length, maskId: id('[MASK]'), specialIds }, rng).labels);
  const unigram = scoreUnigram(fitUnigram(train, vocab.length, specialIds), targets);
  return {
    files: [trainFile, heldoutFile],
    vocabSize: vocab.length,
    maxLength,
    train: stats(train, maxLength),
    heldout: stats(heldout, maxLength),
    unigramBaselineOnHeldout: { maskSeed, maskProbability: 0.15, ...unigram, mostFrequentToken: vocab[fitUnigram(train, vocab.length, specialIds).argmax] },
    seconds: (Date.now() - t0) / 1000,
  };
}

runScript(import.meta.url, main);
