/**
 * A list of JSON records from either a JSON array file or JSON Lines (one object per line), with a
 * way to say where record i is. Importers accept both because people convert between them freely.
 */
import { ImportError } from './errors';
import { lineOfPath, parseJsonText } from './json-location';

export interface JsonRecords {
  values: unknown[];
  /** Location of record i for an error message. */
  where(i: number): { line?: number; record: string };
  form: 'json-array' | 'jsonl';
}

/** Parses JSON Lines; blank lines are skipped, every other line must be one JSON value. */
export function parseJsonLines(file: string, text: string): JsonRecords {
  const values: unknown[] = [];
  const lines: number[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    const raw = text.slice(start, end).replace(/\r$/, '');
    if (raw.trim() !== '') {
      values.push(parseJsonText(file, raw, lineNo - 1));
      lines.push(lineNo);
    }
    start = end + 1;
  }
  return { values, form: 'jsonl', where: (i) => ({ line: lines[i], record: `#${i + 1}` }) };
}

/** A JSON array of records (located by index). */
export function parseJsonArray(file: string, text: string): JsonRecords {
  const values = parseJsonText(file, text);
  if (!Array.isArray(values)) throw new ImportError({ file, problem: 'expected a JSON array of records' });
  return { values, form: 'json-array', where: (i) => ({ line: lineOfPath(text, [i]), record: `[${i}]` }) };
}

export type JsonFile = { kind: 'records'; records: JsonRecords } | { kind: 'value'; value: unknown };

/**
 * A JSON file that is either a list of records (a JSON array, or JSON Lines) or one JSON value such
 * as an object spread over many lines. Decided from the text, not the extension, which is often
 * wrong: JSON Lines is recognised when the first line is a complete value and more lines follow.
 */
export function readJsonFile(file: string, text: string): JsonFile {
  const trimmed = text.trim();
  if (trimmed === '') throw new ImportError({ file, problem: 'the file is empty' });
  if (trimmed.startsWith('[')) return { kind: 'records', records: parseJsonArray(file, text) };
  const firstLineEnd = trimmed.indexOf('\n');
  if (firstLineEnd > 0) {
    let firstLineIsValue = true;
    try { JSON.parse(trimmed.slice(0, firstLineEnd)); } catch { firstLineIsValue = false; }
    if (firstLineIsValue) return { kind: 'records', records: parseJsonLines(file, text) };
  }
  return { kind: 'value', value: parseJsonText(file, text) };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
