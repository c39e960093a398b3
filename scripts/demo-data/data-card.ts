/**
 * The data card (datasets/debtags/README.md), generated together with debtags.json so that its
 * counts and tables always describe the committed snapshot (a test re-parses the table).
 */
export interface CardDoc {
  text: string;
  labels: readonly string[];
  split: 'train' | 'test';
}

export interface CardInput {
  tasks: readonly string[];
  docs: readonly CardDoc[];
  release: { date: string; version: string; codename: string; file: string };
  files: { packages: string; translations: string; packagesSha256: string; translationsSha256: string; verified: boolean };
  pipeline: string[];
  rebuildCommand: string;
  options: Record<string, number | string>;
}

export function labelCounts(tasks: readonly string[], docs: readonly CardDoc[]): { train: number[]; test: number[] } {
  const train = tasks.map(() => 0);
  const test = tasks.map(() => 0);
  const index = new Map(tasks.map((t, k) => [t, k]));
  for (const d of docs) {
    for (const l of d.labels) {
      const k = index.get(l);
      if (k !== undefined) (d.split === 'test' ? test : train)[k]++;
    }
  }
  return { train, test };
}

export function coOccurrence(tasks: readonly string[], docs: readonly CardDoc[]): number[][] {
  const index = new Map(tasks.map((t, k) => [t, k]));
  const m = tasks.map(() => tasks.map(() => 0));
  for (const d of docs) {
    const ks = d.labels.map((l) => index.get(l)).filter((k): k is number => k !== undefined);
    for (const a of ks) for (const b of ks) m[a][b]++;
  }
  return m;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export function lengthStats(docs: readonly CardDoc[]) {
  const words = docs.map((d) => d.text.split(' ').length).sort((a, b) => a - b);
  const chars = docs.map((d) => d.text.length).sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    words: { min: words[0], median: quantile(words, 0.5), mean: mean(words), p90: quantile(words, 0.9), max: words.at(-1)! },
    chars: { min: chars[0], median: quantile(chars, 0.5), mean: mean(chars), p90: quantile(chars, 0.9), max: chars.at(-1)! },
  };
}

export function renderDataCard(input: CardInput): string {
  const { tasks, docs } = input;
  const { train, test } = labelCounts(tasks, docs);
  const nTrain = docs.filter((d) => d.split === 'train').length;
  const nTest = docs.length - nTrain;
  const perDoc = new Map<number, number>();
  for (const d of docs) perDoc.set(d.labels.length, (perDoc.get(d.labels.length) ?? 0) + 1);
  const co = coOccurrence(tasks, docs);
  const len = lengthStats(docs);
  const short = tasks.map((t, k) => `L${k + 1}`);
  const lines: string[] = [];
  lines.push(
    '# debtags: Debian package descriptions with their debtags (demo data set)',
    '',
    '**Generated snapshot — do not edit by hand.** Written by `scripts/demo-data/build.ts` together with',
    '`debtags.json`; rebuild it with the command below.',
    '',
    `${docs.length} documents (${nTrain} train, ${nTest} test), ${tasks.length} binary tasks (multi-label).`,
    'A document is one Debian program: its short description followed by its long description. Its',
    'labels are the debtags (Debian\'s faceted package classification) it carries among the 12 tasks.',
    '',
    '## Source',
    '',
    `- Debian ${input.release.version} "${input.release.codename}", component main, architecture amd64,`,
    `  as mirrored by deb.debian.org; Release file dated **${input.release.date}** (\`${input.release.file}\`).`,
    `- \`${input.files.packages}\` (the \`Tag:\` field),`,
    `  SHA256 of the uncompressed list \`${input.files.packagesSha256}\`.`,
    `- \`${input.files.translations}\` (the \`Description-en\` field), joined on package name + \`Description-md5\`,`,
    `  SHA256 \`${input.files.translationsSha256}\`.`,
    input.files.verified
      ? '- Both hashes equal the SHA256 entries of the PGP-signed InRelease file (checked by the build).'
      : '- WARNING: the hashes were NOT found in the InRelease file (the lists may be from another release).',
    '',
    '## Licence',
    '',
    'Package descriptions and debtags are part of the Debian archive\'s metadata, which Debian publishes',
    'openly (every mirror serves them; `apt-get update` downloads them). Each description was written',
    'by the package\'s maintainer or upstream, and the debtags by the Debian community (debtags.debian.org).',
    'What we could verify: every document comes from component *main*, whose packages must meet the',
    'Debian Free Software Guidelines; a description comes from the source package\'s `debian/control`,',
    'which that package\'s `debian/copyright` covers (as a rule under a DFSG-free licence, often the',
    'upstream one). The index files themselves carry no licence statement, and we did not check the',
    '`debian/copyright` of each of the packages, so no single licence is claimed for this excerpt.',
    'Debian redistributes these texts on every mirror and installs them on every system; this snapshot',
    'keeps a small excerpt (package name as id) for research and teaching. If you redistribute it,',
    'credit Debian and the package maintainers.',
    '',
    '## How it was built',
    '',
    ...input.pipeline.map((p, i) => `${i + 1}. ${p}`),
    '',
    'Options: ' + Object.entries(input.options).map(([k, v]) => `\`${k}=${v}\``).join(', ') + '.',
    '',
    '## Label counts',
    '',
    '| label | train | test | total |',
    '| --- | ---: | ---: | ---: |',
    ...tasks.map((t, k) => `| ${t} | ${train[k]} | ${test[k]} | ${train[k] + test[k]} |`),
    '',
    'Labels per document: ' +
      [...perDoc.entries()].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n} label${n === 1 ? '' : 's'}: ${c}`).join('; ') + '.',
    '',
    '## Label co-occurrence',
    '',
    'Documents carrying both labels (all splits); the diagonal is the label\'s positive count.',
    '',
    tasks.map((t, k) => `${short[k]} = ${t}`).join(', ') + '.',
    '',
    '| | ' + short.join(' | ') + ' |',
    '| --- |' + short.map(() => ' ---: |').join(''),
    ...co.map((row, a) => `| ${short[a]} | ` + row.join(' | ') + ' |'),
    '',
    '## Document length',
    '',
    '| | min | median | mean | p90 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| words | ${len.words.min} | ${len.words.median} | ${len.words.mean.toFixed(1)} | ${len.words.p90} | ${len.words.max} |`,
    `| characters | ${len.chars.min} | ${len.chars.median} | ${len.chars.mean.toFixed(1)} | ${len.chars.p90} | ${len.chars.max} |`,
    '',
    '## Rebuild',
    '',
    'On a Debian bookworm machine (the English descriptions are not downloaded by default):',
    '',
    '```sh',
    'apt-get update -o Acquire::Languages=en',
    input.rebuildCommand,
    '```',
    '',
    'The build is deterministic: the same apt lists give byte-identical `debtags.json` and README.md.',
    'A later Debian point release changes the lists and therefore the snapshot.',
    '',
  );
  return lines.join('\n');
}
