/**
 * CSV → rows with their line numbers, on top of papaparse. Quoted fields may span lines (tweets do),
 * so a row's line is where the row starts, computed from papaparse's cursor, not the row index.
 */
import Papa from 'papaparse';
import { ImportError } from './errors';

export interface CsvRow {
  /** 1-based line where the row starts. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  /** Header cells, trimmed (CrisisLex writes `Tweet ID, Tweet Text, ...` with leading spaces). */
  header: string[];
  headerLine: number;
  rows: CsvRow[];
  delimiter: string;
}

export interface CsvOptions {
  /** Field delimiter; by default the most frequent of , tab ; | in the header line (else a comma). */
  delimiter?: string;
}

function newlineOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i);
  return out;
}

/** 1-based line of an offset, by binary search over newline offsets. */
function lineOf(newlines: number[], offset: number): number {
  let lo = 0;
  let hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlines[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

function describeCsvError(code: string, message: string): string {
  switch (code) {
    case 'MissingQuotes':
      return 'a quoted field is never closed (a missing closing ")';
    case 'InvalidQuotes':
      return 'a quoted field has text after its closing quote (a stray " inside a quoted field must be doubled as "")';
    default:
      return message;
  }
}

/**
 * The delimiter, from the header line only: papaparse's own guess looks at whole rows and can be
 * misled by label cells like `Location;Weather`, while column names rarely hold delimiters.
 */
export function headerDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', '\t', ';', '|']) {
    const n = first.split(d).length - 1;
    if (n > bestCount) { best = d; bestCount = n; }
  }
  return best;
}

export function parseCsv(file: string, text: string, options: CsvOptions = {}): CsvTable {
  const newlines = newlineOffsets(text);
  const rows: CsvRow[] = [];
  let prevCursor = 0;
  let failure: ImportError | undefined;
  const delimiter = options.delimiter ?? headerDelimiter(text);
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: true,
    step(result, parser) {
      let start = prevCursor;
      while (start < text.length && (text[start] === '\n' || text[start] === '\r')) start++;
      prevCursor = result.meta.cursor;
      const real = result.errors;
      if (real.length > 0) {
        const e = real[0];
        const at = typeof e.index === 'number' ? e.index : start;
        failure = new ImportError({ file, line: lineOf(newlines, Math.max(start, at)), problem: `this is not well-formed CSV: ${describeCsvError(e.code, e.message)}` });
        parser.abort();
        return;
      }
      rows.push({ line: lineOf(newlines, start), cells: result.data });
    },
  });
  if (failure) throw failure;
  if (rows.length === 0) throw new ImportError({ file, problem: 'the file is empty; expected a header line and at least one row' });
  const [head, ...body] = rows;
  const header = head.cells.map((h) => h.trim().replace(/^\uFEFF/, ''));
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    const key = h.toLowerCase();
    if (h === '') throw new ImportError({ file, line: head.line, problem: `header column ${i + 1} has no name` });
    if (seen.has(key)) throw new ImportError({ file, line: head.line, field: h, problem: `the header names column "${h}" twice (columns ${seen.get(key)! + 1} and ${i + 1})` });
    seen.set(key, i);
  });
  for (const r of body) {
    if (r.cells.length !== header.length) {
      throw new ImportError({
        file,
        line: r.line,
        problem: `expected ${header.length} fields as in the header, got ${r.cells.length} (an unquoted "${delimiter}" inside a field, or a missing one)`,
      });
    }
  }
  return { header, headerLine: head.line, rows: body, delimiter };
}

/** Index of a column by name, trimmed and case-insensitive; -1 when absent. */
export function columnIndex(header: readonly string[], name: string): number {
  const want = name.trim().toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === want);
}
