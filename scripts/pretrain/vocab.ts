/**
 * Learns the WordPiece vocabulary from the pretraining corpus and writes the tokenizer files:
 *
 *   npx tsx scripts/pretrain/vocab.ts --out <folder> [--corpus .pretrain/corpus.txt]
 *        [--heldout .pretrain/heldout.txt] [--vocab-size 8000] [--model-max-length 128]
 *
 * Writes vocab.txt, tokenizer.json, tokenizer_config.json, special_tokens_map.json into <folder>
 * and prints JSON: training stats, the coverage of the held-out lines (share of words that
 * become [UNK], mean pieces per word) and of the demo data set's documents (--dataset, default
 * datasets/debtags/debtags.json), with their length in tokens.
 */
import { createReadStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';
import { bertTokenizerFiles } from '../../src/lib/pretrain/tokenizer-files';
import { measureCoverage, WordPieceEncoder } from '../../src/lib/pretrain/wordpiece-encoder';
import { countWords, trainWordPiece } from '../../src/lib/pretrain/wordpiece-trainer';

async function main(argv: string[]) {
  const args = parseArgs(argv, ['out', 'corpus', 'heldout', 'dataset', 'vocab-size', 'model-max-length', 'min-char-frequency', 'min-pair-frequency']);
  const out = args.required('out');
  const corpus = args.get('corpus') ?? '.pretrain/corpus.txt';
  const heldout = args.get('heldout') ?? '.pretrain/heldout.txt';
  const vocabSize = args.int('vocab-size', 8000);
  const t0 = Date.now();

  // Stream the corpus: only the word-count table stays in memory.
  const counts = new Map<string, number>();
  let lines = 0;
  const rl = createInterface({ input: createReadStream(corpus, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (line) {
      countWords(line, counts);
      lines++;
    }
  }
  let tokens = 0;
  for (const c of counts.values()) tokens += c;
  const tCount = Date.now();

  const result = trainWordPiece(counts, {
    vocabSize,
    minCharFrequency: args.int('min-char-frequency', 2),
    minPairFrequency: args.int('min-pair-frequency', 2),
  });
  const tTrain = Date.now();

  const files = bertTokenizerFiles(result.vocab, { modelMaxLength: args.int('model-max-length', 128) });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);

  const encoder = new WordPieceEncoder(result.vocab);
  const heldoutLines = readFileSync(heldout, 'utf8').split('\n').filter(Boolean);
  const coverage = measureCoverage(encoder, heldoutLines);
  // How the demo documents tokenise: the classifier reads them, truncated to model-max-length.
  const datasetPath = args.get('dataset') ?? 'datasets/debtags/debtags.json';
  const maxLength = args.int('model-max-length', 128);
  const docs = (JSON.parse(readFileSync(datasetPath, 'utf8')) as { docs: { text: string }[] }).docs.map((d) => d.text);
  const docTokens = docs.map((t) => encoder.encode(t).length + 2).sort((a, b) => a - b);
  return {
    out,
    files: Object.keys(files),
    corpus: { path: corpus, lines, preTokens: tokens, distinctWords: counts.size },
    vocab: { size: result.vocab.length, alphabet: result.alphabetSize, merges: result.merges.length, stoppedBy: result.stoppedBy, scoring: 'pair frequency (HF WordPieceTrainer/BPE)' },
    heldout: { path: heldout, lines: heldoutLines.length, ...coverage },
    demo: {
      path: datasetPath,
      docs: docs.length,
      ...measureCoverage(encoder, docs),
      tokensPerDoc: { median: docTokens[docTokens.length >> 1], p90: docTokens[Math.floor(docTokens.length * 0.9)], max: docTokens.at(-1) },
      docsLongerThanMaxLength: docTokens.filter((n) => n > maxLength).length,
    },
    seconds: { count: (tCount - t0) / 1000, train: (tTrain - tCount) / 1000, total: (Date.now() - t0) / 1000 },
  };
}

runScript(import.meta.url, main);
