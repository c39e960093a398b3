/**
 * Generic CSV and JSON Lines importer for anyone's labelled texts. A record has a `text` and either
 *
 * - a labels column/field: `Location;Weather`, `Location|Weather`, or a JSON array
 *   `["Location","Weather"]` (in JSON Lines also a real array); empty means no labels; or
 * - one column/field per label holding 0 or 1 (JSON Lines also true/false).
 *
 * Optional columns: `id` (else the line number), `event`, `split` (`train` or `test`; empty means
 * unassigned). Column names are matched trimmed and case-insensitively. When there is no labels
 * column and no `labelColumns` option, every other column must be a 0/1 label column: an unexpected
 * extra column is reported rather than silently taken as a label or silently ignored.
 * Files named `train.*` / `test.*` without a split column give their documents that split.
 */
import { decodeText } from './decode';
import { ImportError, describeValue } from './errors';
import { columnIndex, parseCsv } from './csv';
import { isPlainObject, parseJsonArray, parseJsonLines } from './json-records';
import type { Dataset, Doc, ImportFormat, InputFile, Split } from './schema';
import { baseName, plural } from './text-utils';

export interface TableOptions {
  name?: string;
  /** Default "text". */
  textColumn?: string;
  /** Default: a column named "labels", "label" or "categories" when there is one. */
  labelsColumn?: string;
  /** How the labels column separates labels; default: detected (";", "|", or a JSON array). */
  labelSeparator?: ';' | '|' | 'json';
  /** One 0/1 column per label (instead of a labels column). */
  labelColumns?: string[];
  /**
   * Every record must carry the labels column/field (an empty list for none). By default a JSON
   * record without it has no labels; formats that document the field as required (the CLI's
   * `train` input) turn a forgotten field into an error instead of a silent negative.
   */
  requireLabelsField?: boolean;
  /** Defaults "id", "event", "split"; each is optional in the data. */
  idColumn?: string;
  eventColumn?: string;
  splitColumn?: string;
  /** CSV delimiter; detected when absent. */
  delimiter?: string;
}

interface Located { file: string; line?: number; record?: string }

/** One record, whatever the file format: field lookup by (case-insensitive) name. */
interface Row {
  where(): Located;
  /** The id when the data has none: the line (CSV, JSON Lines) or the record number (JSON array). */
  autoId: string;
  has(field: string): boolean;
  get(field: string): unknown;
}

interface Source {
  file: string;
  /** Field names in the file (CSV header, or the union of JSON keys in first-seen order). */
  fields: string[];
  rows: Row[];
  kind: 'csv' | 'jsonl';
}

const LABEL_COLUMN_NAMES = ['labels', 'label', 'categories'];

function csvSource(file: string, text: string, delimiter?: string): Source {
  const table = parseCsv(file, text, { delimiter });
  const rows = table.rows.map((r): Row => ({
    where: () => ({ file, line: r.line }),
    autoId: String(r.line),
    has: (f) => columnIndex(table.header, f) >= 0,
    get: (f) => {
      const i = columnIndex(table.header, f);
      return i < 0 ? undefined : r.cells[i];
    },
  }));
  return { file, fields: table.header, rows, kind: 'csv' };
}

function jsonlSource(file: string, text: string): Source {
  const records = text.trimStart().startsWith('[') ? parseJsonArray(file, text) : parseJsonLines(file, text);
  const fields: string[] = [];
  const fieldSet = new Set<string>();
  const rows = records.values.map((v, i): Row => {
    const where = () => ({ file, ...records.where(i) });
    if (!isPlainObject(v)) throw new ImportError({ ...where(), problem: `expected a JSON object per line, got ${describeValue(v)}` });
    const keys = new Map<string, string>();
    for (const k of Object.keys(v)) {
      keys.set(k.trim().toLowerCase(), k);
      if (!fieldSet.has(k.trim().toLowerCase())) { fieldSet.add(k.trim().toLowerCase()); fields.push(k.trim()); }
    }
    return {
      where,
      autoId: records.form === 'jsonl' ? String(records.where(i).line) : String(i + 1),
      has: (f) => keys.has(f.trim().toLowerCase()),
      get: (f) => {
        const k = keys.get(f.trim().toLowerCase());
        return k === undefined ? undefined : v[k];
      },
    };
  });
  if (rows.length === 0) throw new ImportError({ file, problem: 'the file has no records' });
  return { file, fields, rows, kind: 'jsonl' };
}

function splitLabelString(s: string, sep: ';' | '|' | undefined, at: () => Located, field: string): string[] {
  const t = s.trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    let parsed: unknown;
    try { parsed = JSON.parse(t); } catch {
      throw new ImportError({ ...at(), field, problem: `starts like a JSON array but is not valid JSON: ${describeValue(t)}` });
    }
    return labelArray(parsed, at, field);
  }
  const parts = sep ? t.split(sep) : [t];
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function labelArray(v: unknown, at: () => Located, field: string): string[] {
  if (!Array.isArray(v)) throw new ImportError({ ...at(), field, problem: `expected an array of label names, got ${describeValue(v)}` });
  return v.map((x, k) => {
    if (typeof x !== 'string' || x.trim() === '') {
      throw new ImportError({ ...at(), field: `${field}[${k}]`, problem: `expected a label name, got ${describeValue(x)}` });
    }
    return x.trim();
  });
}

function oneHot(v: unknown, at: () => Located, field: string, why: string): boolean {
  if (v === 1 || v === true) return true;
  if (v === 0 || v === false) return false;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '1') return true;
    if (t === '0') return false;
  }
  throw new ImportError({ ...at(), field, problem: `expected 0 or 1 ${why}, got ${describeValue(v)}` });
}

/** Picks the label separator for a whole file: mixing ";" and "|" is ambiguous, so it is an error. */
function detectSeparator(src: Source, field: string): ';' | '|' | undefined {
  let semi: Row | undefined;
  let pipe: Row | undefined;
  for (const r of src.rows) {
    const v = r.get(field);
    if (typeof v !== 'string' || v.trim().startsWith('[')) continue;
    if (!semi && v.includes(';')) semi = r;
    if (!pipe && v.includes('|')) pipe = r;
    if (semi && pipe) {
      throw new ImportError({
        ...r.where(),
        field,
        problem: `labels are separated by ";" on line ${semi.where().line ?? '?'} and by "|" on line ${pipe.where().line ?? '?'}; use one separator (or set labelSeparator)`,
      });
    }
  }
  return semi ? ';' : pipe ? '|' : undefined;
}

function splitValue(v: unknown, at: () => Located, field: string): Split | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ImportError({ ...at(), field, problem: `expected "train" or "test", got ${describeValue(v)}` });
  const t = v.trim().toLowerCase();
  if (t === '') return undefined;
  if (t === 'train' || t === 'test') return t;
  throw new ImportError({ ...at(), field, problem: `expected "train" or "test" (or empty), got ${describeValue(v)}` });
}

function optionalText(v: unknown, at: () => Located, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v !== 'string') throw new ImportError({ ...at(), field, problem: `expected a string, got ${describeValue(v)}` });
  return v.trim() === '' ? undefined : v.trim();
}

export function importTable(format: Extract<ImportFormat, 'csv' | 'jsonl'>, files: InputFile[], options: TableOptions = {}): Dataset {
  if (files.length === 0) throw new ImportError({ file: '(no files)', problem: `no ${format.toUpperCase()} file was given` });
  const textField = options.textColumn ?? 'text';
  const idField = options.idColumn ?? 'id';
  const eventField = options.eventColumn ?? 'event';
  const splitField = options.splitColumn ?? 'split';
  const notes: string[] = [];
  const sources = files.map((f) => {
    const decoded = decodeText(f.name, f.bytes);
    if (decoded.note) notes.push(decoded.note);
    return format === 'csv' ? csvSource(f.name, decoded.text, options.delimiter) : jsonlSource(f.name, decoded.text);
  });

  const docs: Doc[] = [];
  let sawLabelsColumn = false;
  const firstSeen = new Map<string, string>();
  const taskOrder: string[] = [];
  const taskSet = new Set<string>();
  let emptyText = 0;
  const addTask = (t: string) => { if (!taskSet.has(t)) { taskSet.add(t); taskOrder.push(t); } };

  for (const src of sources) {
    const has = (f: string) => src.fields.some((x) => x.toLowerCase() === f.trim().toLowerCase());
    const at0 = (): Located => (src.kind === 'csv' ? { file: src.file, line: 1 } : { file: src.file });
    if (!has(textField)) {
      throw new ImportError({ ...at0(), field: textField, problem: `there is no "${textField}" ${src.kind === 'csv' ? 'column' : 'field'} (found ${src.fields.map((f) => `"${f}"`).join(', ')}); set textColumn to the one holding the text` });
    }
    // Which form the labels take in this file.
    const reserved = new Set([textField, idField, eventField, splitField].map((f) => f.toLowerCase()));
    let labelsField: string | undefined;
    let labelColumns: string[] | undefined;
    if (options.labelColumns) {
      labelColumns = options.labelColumns;
      for (const c of labelColumns) if (!has(c)) throw new ImportError({ ...at0(), field: c, problem: `the label column "${c}" (from labelColumns) is not in the file` });
    } else if (options.labelsColumn) {
      if (!has(options.labelsColumn)) throw new ImportError({ ...at0(), field: options.labelsColumn, problem: `the labels column "${options.labelsColumn}" is not in the file` });
      labelsField = options.labelsColumn;
    } else {
      labelsField = LABEL_COLUMN_NAMES.find(has);
      if (!labelsField) {
        labelColumns = src.fields.filter((f) => !reserved.has(f.toLowerCase()));
        if (labelColumns.length === 0) {
          throw new ImportError({ ...at0(), problem: `no labels: expected a "labels" column or one 0/1 column per label next to "${textField}"` });
        }
      }
    }
    const sep = labelsField && options.labelSeparator !== 'json' ? (options.labelSeparator ?? detectSeparator(src, labelsField)) : undefined;
    if (labelColumns) labelColumns.forEach(addTask);
    else sawLabelsColumn = true;
    const fileSplit = src.fields.some((f) => f.toLowerCase() === splitField.toLowerCase())
      ? undefined
      : /^(train|test)\.[^.]+$/i.exec(baseName(src.file))?.[1].toLowerCase() as Split | undefined;
    if (fileSplit) notes.push(`${src.file} has no "${splitField}" column: its documents are the ${fileSplit} split (from the file name).`);

    for (const row of src.rows) {
      const at = () => row.where();
      const rawText = row.get(textField);
      if (rawText === undefined || rawText === null) throw new ImportError({ ...at(), field: textField, problem: 'the record has no text' });
      if (typeof rawText !== 'string') throw new ImportError({ ...at(), field: textField, problem: `expected the text as a string, got ${describeValue(rawText)}` });
      if (rawText.trim() === '') { emptyText++; continue; }

      const id = optionalText(row.get(idField), at, idField) ?? (sources.length > 1 ? `${baseName(src.file)}:${row.autoId}` : row.autoId);
      const first = firstSeen.get(id);
      if (first !== undefined) throw new ImportError({ ...at(), field: idField, problem: `the id "${id}" is used twice (first at ${first}); ids must be unique` });
      const w = row.where();
      firstSeen.set(id, `${w.file}${w.line !== undefined ? ` line ${w.line}` : ''}`);

      let labels: string[];
      if (labelsField) {
        const v = row.get(labelsField);
        if ((v === undefined || v === null) && options.requireLabelsField) {
          throw new ImportError({ ...at(), field: labelsField, problem: `expected an array of label names (an empty array for none), got ${describeValue(v)}` });
        }
        if (v === undefined || v === null) labels = [];
        else if (Array.isArray(v)) labels = labelArray(v, at, labelsField);
        else if (typeof v === 'string') {
          labels = options.labelSeparator === 'json' && v.trim() !== '' && !v.trim().startsWith('[')
            ? labelArray(v, at, labelsField)
            : splitLabelString(v, sep, at, labelsField);
        } else throw new ImportError({ ...at(), field: labelsField, problem: `expected labels as text or an array, got ${describeValue(v)}` });
        labels = [...new Set(labels)];
        labels.forEach(addTask);
      } else {
        const why = options.labelColumns ? '(a label column)' : `(every column other than ${[...reserved].map((r) => `"${r}"`).join(', ')} is read as a 0/1 label column, since there is no "labels" column)`;
        labels = labelColumns!.filter((c) => {
          if (!row.has(c)) throw new ImportError({ ...at(), field: c, problem: `the label field is missing; expected 0 or 1` });
          return oneHot(row.get(c), at, c, why);
        });
      }
      const doc: Doc = { id, text: rawText, labels };
      const event = optionalText(row.get(eventField), at, eventField);
      if (event !== undefined) doc.event = event;
      const split = splitValue(row.get(splitField), at, splitField) ?? fileSplit;
      if (split !== undefined) doc.split = split;
      docs.push(doc);
    }
  }
  if (docs.length === 0) throw new ImportError({ file: files.map((f) => f.name).join(', '), field: textField, problem: 'no record has any text' });
  if (emptyText) notes.push(`Left out ${plural(emptyText, 'record')} with empty text.`);
  const labelled = docs.filter((d) => d.labels.length > 0).length;
  notes.push(`Read ${plural(docs.length, 'document')} with ${plural(taskOrder.length, 'label')}; ${labelled.toLocaleString('en-US')} documents have at least one label.`);
  return {
    name: options.name ?? baseName(files[0].name).replace(/\.[^.]+$/, ''),
    source: { format, files: files.map((f) => f.name), notes },
    // Label columns keep their column order; labels from a labels column have no natural order.
    tasks: sawLabelsColumn ? [...taskOrder].sort() : taskOrder,
    docs,
  };
}
