/**
 * CrisisLexT26 importer: one `*-tweets_labeled.csv` per event, header
 * `Tweet ID, Tweet Text, Information Source, Information Type, Informativeness` (with the leading
 * spaces, which we trim). Each tweet has one value per label family, so a family's values never
 * co-occur; we form one-vs-rest tasks from the values of one chosen family.
 *
 * - "Not labeled" means the assessors did not label the tweet: it is missing data, not a negative,
 *   so such tweets are left out (a multi-label document cannot say "unknown for these tasks").
 * - "Not applicable" is a real answer (the tweet is off-topic, so no value applies): by default the
 *   tweet stays as a negative for every task of the family.
 * - The event is the folder name (`2013_Boston_bombings/…csv`) or, for a bare file, the file name
 *   without `-tweets_labeled.csv`.
 * - The same tweet id in two files (one tweet is in two events) keeps its first occurrence.
 */
import { decodeText } from './decode';
import { ImportError, describeValue } from './errors';
import { columnIndex, parseCsv } from './csv';
import type { Dataset, Doc, InputFile } from './schema';
import { baseName, countList, folderName, plural } from './text-utils';

export const CRISISLEX_FAMILIES = ['Information Source', 'Information Type', 'Informativeness'] as const;

export interface CrisisLexOptions {
  name?: string;
  /** The label family whose values become tasks. Default "Information Type". */
  family?: string;
  /** "Not applicable": a negative for every task (default), a task of its own, or left out. */
  notApplicable?: 'negative' | 'task' | 'drop';
}

const NOT_LABELED = 'not labeled';
const NOT_APPLICABLE = 'not applicable';

function eventOf(fileName: string): string {
  return folderName(fileName) ?? baseName(fileName).replace(/(-tweets_labeled)?\.csv$/i, '');
}

export function importCrisisLex(files: InputFile[], options: CrisisLexOptions = {}): Dataset {
  const family = options.family ?? 'Information Type';
  const notApplicable = options.notApplicable ?? 'negative';
  if (!['negative', 'task', 'drop'].includes(notApplicable)) {
    throw new ImportError({ file: '(options)', field: 'notApplicable', problem: `expected negative, task or drop, got ${describeValue(notApplicable)}` });
  }
  const notes: string[] = [];
  const docs: Doc[] = [];
  const seen = new Map<string, string>();
  const values = new Map<string, number>();
  const ignored: string[] = [];
  let csvFiles = 0, notLabeled = 0, dropped = 0, duplicates = 0, emptyText = 0, notApplicableCount = 0;
  const dupExamples: string[] = [];

  for (const f of files) {
    if (!/\.csv$/i.test(f.name)) { ignored.push(f.name); continue; }
    csvFiles++;
    const decoded = decodeText(f.name, f.bytes);
    if (decoded.note) notes.push(decoded.note);
    const table = parseCsv(f.name, decoded.text, { delimiter: ',' });
    const col = (name: string) => {
      const i = columnIndex(table.header, name);
      if (i < 0) {
        throw new ImportError({
          file: f.name,
          line: table.headerLine,
          field: name,
          problem: `the header has no "${name}" column (it has ${table.header.map((h) => `"${h}"`).join(', ')}); CrisisLexT26 files have Tweet ID, Tweet Text and the label families ${CRISISLEX_FAMILIES.join(', ')}`,
        });
      }
      return i;
    };
    const idCol = col('Tweet ID');
    const textCol = col('Tweet Text');
    const famCol = col(family);
    const event = eventOf(f.name);
    for (const row of table.rows) {
      const id = row.cells[idCol].trim();
      if (id === '') throw new ImportError({ file: f.name, line: row.line, field: 'Tweet ID', problem: 'the tweet id is empty' });
      const value = row.cells[famCol].trim();
      if (value === '') {
        throw new ImportError({ file: f.name, line: row.line, field: table.header[famCol], problem: 'the label is empty; expected a value or "Not labeled"' });
      }
      const lower = value.toLowerCase();
      if (lower === NOT_LABELED) { notLabeled++; continue; }
      if (lower === NOT_APPLICABLE) {
        notApplicableCount++;
        if (notApplicable === 'drop') { dropped++; continue; }
      }
      const text = row.cells[textCol];
      if (text.trim() === '') { emptyText++; continue; }
      const first = seen.get(id);
      if (first !== undefined) {
        duplicates++;
        if (dupExamples.length < 3) dupExamples.push(`${id} (${first} and ${event})`);
        continue;
      }
      seen.set(id, event);
      const labels = lower === NOT_APPLICABLE && notApplicable === 'negative' ? [] : [value];
      for (const l of labels) values.set(l, (values.get(l) ?? 0) + 1);
      docs.push({ id, text, labels, event });
    }
  }
  if (csvFiles === 0) {
    throw new ImportError({ file: files.map((f) => f.name).join(', ') || '(no files)', problem: 'no CSV files found; CrisisLexT26 events are *-tweets_labeled.csv files' });
  }
  if (docs.length === 0) {
    throw new ImportError({ file: files.filter((f) => /\.csv$/i.test(f.name)).map((f) => f.name).join(', '), field: family, problem: `no tweet has a usable "${family}" label` });
  }
  const events = new Set(docs.map((d) => d.event));
  notes.push(`Read ${plural(csvFiles, 'CSV file')} (${plural(events.size, 'event')}); tasks are the values of "${family}", one-vs-rest.`);
  if (ignored.length) notes.push(`Skipped ${plural(ignored.length, 'file')} that are not CSV (event descriptions, README, LICENSE).`);
  if (notLabeled) notes.push(`Left out ${plural(notLabeled, 'tweet')} whose "${family}" is "Not labeled" (missing, not negative).`);
  if (notApplicableCount) {
    const how = notApplicable === 'negative' ? 'kept as negatives for every task' : notApplicable === 'task' ? 'kept as a task of its own' : 'left out';
    notes.push(`${plural(notApplicableCount, 'tweet')} with "${family}" = "Not applicable": ${how}.`);
  }
  if (duplicates) notes.push(`${plural(duplicates, 'tweet id')} appeared again in another file or row; kept the first (e.g. ${dupExamples.join('; ')}).`);
  if (emptyText) notes.push(`Left out ${plural(emptyText, 'tweet')} with empty text.`);
  notes.push(`Positives per task: ${countList(values, 50)}.`);
  return {
    name: options.name ?? (files.length === 1 ? eventOf(files[0].name) : 'crisislex'),
    source: { format: 'crisislex', files: files.map((f) => f.name), notes },
    tasks: [...values.keys()].sort(),
    docs,
  };
}
