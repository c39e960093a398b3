/**
 * Builds the demo data set datasets/debtags/debtags.json (+ its data card README.md) from Debian's
 * package index on this machine.
 *
 *   apt-get update -o Acquire::Languages=en      # once: fetches Translation-en
 *   npx tsx scripts/demo-data/build.ts [--out datasets/debtags/debtags.json] [--survey]
 *
 * Deterministic: the same apt lists give byte-identical output. Prints JSON stats.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';
import { APT_LISTS, findList, readListText, readRelease, sha256 } from './apt-lists';
import { renderDataCard, labelCounts } from './data-card';
import { parseDeb822 } from './deb822';
import { hasLabel, parseTagField } from './debtags';
import { cleanDescription, countWords, truncateWords } from './description';
import { DEMO_LABELS, EXCLUDED_TAGS, POPULATION_TAG, TRANSITIONAL } from './labels';
import { dedupeByText, sampleDocuments, compareStrings, type Candidate } from './select-documents';
import { stratifiedGroupSplit, type Split } from './stratified-split';

export const DEFAULTS = {
  targetSize: 4500,
  perLabelQuota: 400,
  testFraction: 0.2,
  minWords: 8,
  maxWords: 200,
  /** A first paragraph shorter than this is too generic to mark a package family. */
  minGroupWords: 8,
  seed: 20250,
};

export const PACKAGES_PATTERN = /_debian_dists_bookworm_main_binary-amd64_Packages(\.lz4|\.gz)?$/;
export const TRANSLATIONS_PATTERN = /_debian_dists_bookworm_main_i18n_Translation-en(\.lz4|\.gz)?$/;
export const RELEASE_PATTERN = /_debian_dists_bookworm_InRelease$/;
const FETCH_HINT = 'run `apt-get update -o Acquire::Languages=en` first, or pass the file with --packages/--translations';

export interface DemoDoc {
  id: string;
  text: string;
  labels: string[];
  split: Split;
}

export interface DemoDataset {
  name: string;
  source: { format: string; files: string[]; notes: string[] };
  tasks: string[];
  docs: DemoDoc[];
}

/** `Package\0Description-md5` → Description-en, from a Translation-en list. */
export function readTranslations(text: string, source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const { fields, line } of parseDeb822(text, source)) {
    const pkg = fields['Package'];
    const md5 = fields['Description-md5'];
    const desc = fields['Description-en'];
    if (!pkg || !md5 || desc === undefined) {
      throw new Error(`${source}:${line}: stanza lacks Package, Description-md5 or Description-en`);
    }
    out.set(`${pkg}\0${md5}`, desc);
  }
  return out;
}

/** One JSON document per line: diffs of a rebuilt snapshot stay readable. */
export function serializeDataset(ds: DemoDataset): string {
  const head = JSON.stringify({ name: ds.name, source: ds.source, tasks: ds.tasks }, null, 1).slice(0, -2);
  return `${head},\n "docs": [\n${ds.docs.map((d) => '  ' + JSON.stringify(d)).join(',\n')}\n ]\n}\n`;
}

function main(argv: string[]) {
  const args = parseArgs(argv, ['out', 'card', 'packages', 'translations', 'release', 'seed'], ['survey']);
  const out = args.get('out') ?? 'datasets/debtags/debtags.json';
  const cardPath = args.get('card') ?? join(dirname(out), 'README.md');
  const seed = args.int('seed', DEFAULTS.seed);
  const packagesPath = args.get('packages') ?? findList(APT_LISTS, PACKAGES_PATTERN, 'bookworm main amd64 Packages list', FETCH_HINT);
  const translationsPath = args.get('translations') ?? findList(APT_LISTS, TRANSLATIONS_PATTERN, 'bookworm main Translation-en list', FETCH_HINT);
  const releasePath = args.get('release') ?? findList(APT_LISTS, RELEASE_PATTERN, 'bookworm InRelease file', FETCH_HINT);

  const t0 = Date.now();
  const packagesText = readListText(packagesPath);
  const translationsText = readListText(translationsPath);
  const release = readRelease(releasePath);
  const packagesSha256 = sha256(packagesText);
  const translationsSha256 = sha256(translationsText);
  const verified =
    release.sha256.get('main/binary-amd64/Packages') === packagesSha256 &&
    release.sha256.get('main/i18n/Translation-en') === translationsSha256;
  const translations = readTranslations(translationsText, basename(translationsPath));

  const counts = { stanzas: 0, tagged: 0, programs: 0, noTranslation: 0, duplicatePackage: 0, excluded: 0, transitional: 0, tooShort: 0 };
  const candidates: Candidate[] = [];
  const seenIds = new Set<string>();
  const tagCount = new Map<string, number>();
  for (const { fields } of parseDeb822(packagesText, basename(packagesPath))) {
    counts.stanzas++;
    if (fields['Tag'] === undefined) continue;
    counts.tagged++;
    const tags = parseTagField(fields['Tag']);
    if (!tags.includes(POPULATION_TAG)) continue;
    counts.programs++;
    const id = fields['Package'];
    if (seenIds.has(id)) {
      counts.duplicatePackage++;
      continue;
    }
    seenIds.add(id);
    if (tags.some((t) => EXCLUDED_TAGS.includes(t))) {
      counts.excluded++;
      continue;
    }
    const desc = translations.get(`${id}\0${fields['Description-md5']}`);
    if (desc === undefined) {
      counts.noTranslation++;
      continue;
    }
    const clean = cleanDescription(desc);
    if (TRANSITIONAL.test(clean.text)) {
      counts.transitional++;
      continue;
    }
    if (countWords(clean.text) < DEFAULTS.minWords) {
      counts.tooShort++;
      continue;
    }
    const group = countWords(clean.firstParagraph) >= DEFAULTS.minGroupWords ? 'p:' + clean.firstParagraph : 'id:' + id;
    candidates.push({ id, text: truncateWords(clean.text, DEFAULTS.maxWords), tags, group });
    for (const t of tags) tagCount.set(t, (tagCount.get(t) ?? 0) + 1);
  }

  if (args.has('survey')) {
    // What the label choice in labels.ts was based on: tag counts among programs, and how the
    // chosen labels co-occur.
    const top = [...tagCount.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))
      .filter(([t]) => /^(works-with|use|network|field|game|admin|security|protocol)::/.test(t)).slice(0, 80);
    const co = DEMO_LABELS.map((a) => DEMO_LABELS.map((b) => candidates.filter((c) => hasLabel(c.tags, a) && hasLabel(c.tags, b)).length));
    return { candidates: candidates.length, counts, topTags: Object.fromEntries(top), chosen: DEMO_LABELS, coOccurrence: co };
  }

  const { kept, dropped } = dedupeByText(candidates);
  const sample = sampleDocuments(kept, DEMO_LABELS, { targetSize: DEFAULTS.targetSize, perLabelQuota: DEFAULTS.perLabelQuota, seed });
  const withLabels = sample.map((c) => ({ ...c, labels: DEMO_LABELS.filter((l) => hasLabel(c.tags, l)) }));
  const splits = stratifiedGroupSplit(withLabels, DEMO_LABELS, DEFAULTS.testFraction, seed + 1);
  const docs: DemoDoc[] = withLabels.map((c, i) => ({ id: c.id, text: c.text, labels: c.labels, split: splits[i] }));

  const files = { packages: basename(packagesPath), translations: basename(translationsPath), packagesSha256, translationsSha256, verified };
  const pipeline = [
    `Read ${counts.stanzas} stanzas of the Packages list; ${counts.tagged} carry a \`Tag:\` field (brace groups such as \`works-with::{audio,video}\` expanded).`,
    `Keep programs (\`${POPULATION_TAG}\`): ${counts.programs}. Drop ${counts.excluded} tagged ${EXCLUDED_TAGS.join(', ')}, ${counts.noTranslation} without an English description (join on package + Description-md5), ${counts.transitional} transitional/dummy packages and ${counts.tooShort} with fewer than ${DEFAULTS.minWords} words.`,
    'Text = short description (a full stop added if it has none) + long description with the paragraph-separator `.` lines removed and whitespace collapsed, cut after ' +
      `${DEFAULTS.maxWords} words (BERT reads at most 128 tokens anyway).`,
    `Drop ${dropped.length} documents whose text (case and spacing ignored) duplicates another; the package whose name sorts first is kept. ${kept.length} remain.`,
    `A label is present when the package has that tag or a more specific one below it (\`works-with::image:raster\` counts for \`works-with::image\`).`,
    `Seeded sample (seed ${seed}) of ${DEFAULTS.targetSize}: labels from rarest to most common each get at least ${DEFAULTS.perLabelQuota} positives (all, if fewer exist), then the rest is filled uniformly from the remaining documents in the same seeded order.`,
    `Split (seed ${seed + 1}) ${Math.round((1 - DEFAULTS.testFraction) * 100)}/${Math.round(DEFAULTS.testFraction * 100)} train/test by iterative stratification over groups: packages whose long description starts with the same first paragraph (≥ ${DEFAULTS.minGroupWords} words; package families such as foo-gtk/foo-qt) stay on one side.`,
  ];
  const dataset: DemoDataset = {
    name: 'debtags',
    source: {
      format: 'debtags',
      files: [files.packages, files.translations, release.file],
      notes: [
        `Debian ${release.version} (${release.codename}) main, Release dated ${release.date}; list SHA256 ${verified ? 'verified against' : 'NOT found in'} the InRelease file.`,
        ...pipeline,
        'Generated snapshot: rebuild with `npx tsx scripts/demo-data/build.ts`; see datasets/debtags/README.md.',
      ],
    },
    tasks: [...DEMO_LABELS],
    docs,
  };
  const json = serializeDataset(dataset);
  const card = renderDataCard({
    tasks: DEMO_LABELS,
    docs,
    release,
    files,
    pipeline,
    rebuildCommand: 'npx tsx scripts/demo-data/build.ts --out datasets/debtags/debtags.json',
    options: { ...DEFAULTS, seed },
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
  writeFileSync(cardPath, card);
  const { train, test } = labelCounts(DEMO_LABELS, docs);
  return {
    out,
    card: cardPath,
    bytes: Buffer.byteLength(json),
    docs: docs.length,
    train: docs.filter((d) => d.split === 'train').length,
    test: docs.filter((d) => d.split === 'test').length,
    zeroLabel: docs.filter((d) => d.labels.length === 0).length,
    positives: Object.fromEntries(DEMO_LABELS.map((l, k) => [l, { train: train[k], test: test[k] }])),
    counts: { ...counts, candidates: candidates.length, duplicateText: dropped.length },
    release: { date: release.date, version: release.version, verified },
    seconds: (Date.now() - t0) / 1000,
  };
}

runScript(import.meta.url, main);
