/**
 * Numeric CSV tables for the regressor: a header row of column names, then one number per cell.
 * An empty cell (or NA / NaN) is a missing value (NaN), which the trees route by their learned
 * default direction; anything else that is not a number is an error that names the file, the row
 * (1-based data row and file line) and the column. Parsing is papaparse's, which runs in the
 * browser and in Node alike.
 */
import Papa from 'papaparse';

export class TableError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly row?: number,
    readonly column?: string,
  ) {
    const where = [file];
    if (row !== undefined) where.push(`row ${row} (line ${row + 1})`);
    if (column !== undefined) where.push(`column "${column}"`);
    super(`${where.join(', ')}: ${problem}`);
    this.name = 'TableError';
  }
}

export interface NumericTable {
  columns: string[];
  rows: number;
  /** Row-major rows × columns.length, float32 (XGBoost's precision), NaN for missing. */
  values: Float32Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MISSING = new Set(['', 'na', 'nan', 'null']);

/** Parses `text` (the file's content); `file` names it in error messages. */
export function parseNumericCsv(text: string, file: string): NumericTable {
  if (text.trim() === '') throw new TableError(file, 'the file is empty (expected a header row and data rows)');
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false });
  const data = parsed.data;
  // A final newline leaves one empty record behind.
  while (data.length > 0 && data[data.length - 1].length === 1 && data[data.length - 1][0].trim() === '') data.pop();
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    throw new TableError(file, `malformed quoting: ${quoteError.message}`, quoteError.row !== undefined ? quoteError.row : undefined);
  }
  const columns = data[0].map((c) => c.trim());
  columns.forEach((c, j) => {
    if (c === '') throw new TableError(file, `header: column ${j + 1} has no name`);
    const k = columns.indexOf(c);
    if (k !== j) throw new TableError(file, `header: column name "${c}" appears twice (columns ${k + 1} and ${j + 1})`);
  });
  const rows = data.length - 1;
  if (rows === 0) throw new TableError(file, 'no data rows after the header');
  const d = columns.length;
  const values = new Float32Array(rows * d);
  for (let i = 0; i < rows; i++) {
    const record = data[i + 1];
    if (record.length !== d) {
      throw new TableError(
        file,
        `has ${record.length} field${record.length === 1 ? '' : 's'}, the header has ${d}` +
          (record.length < d ? ` (no value for column "${columns[record.length]}")` : ''),
        i + 1,
        record.length > d ? `(extra field ${d + 1})` : undefined,
      );
    }
    for (let j = 0; j < d; j++) {
      const cell = record[j].trim();
      if (MISSING.has(cell.toLowerCase())) {
        values[i * d + j] = NaN;
      } else if (NUMBER.test(cell)) {
        const v = Math.fround(Number(cell));
        if (!Number.isFinite(v)) throw new TableError(file, `${cell} is outside the float32 range`, i + 1, columns[j]);
        values[i * d + j] = v;
      } else {
        throw new TableError(file, `${JSON.stringify(record[j])} is not a number`, i + 1, columns[j]);
      }
    }
  }
  return { columns, rows, values };
}

/** Picks the named columns, in that order, as a row-major matrix. */
export function selectColumns(table: NumericTable, names: readonly string[], file: string): Float32Array {
  const idx = names.map((name) => {
    const j = table.columns.indexOf(name);
    if (j < 0) throw new TableError(file, `column "${name}" not found; columns: ${table.columns.join(', ')}`);
    return j;
  });
  const d = table.columns.length;
  const out = new Float32Array(table.rows * names.length);
  for (let i = 0; i < table.rows; i++) {
    for (let k = 0; k < idx.length; k++) out[i * names.length + k] = table.values[i * d + idx[k]];
  }
  return out;
}

/** Splits off the target column: every other column is a feature. The target must be present in every row. */
export function splitTarget(
  table: NumericTable,
  target: string,
  file: string,
): { X: Float32Array; y: Float32Array; n: number; d: number; featureNames: string[] } {
  if (!table.columns.includes(target)) {
    throw new TableError(file, `target column "${target}" not found; columns: ${table.columns.join(', ')}`);
  }
  const featureNames = table.columns.filter((c) => c !== target);
  if (featureNames.length === 0) throw new TableError(file, `no feature columns besides the target "${target}"`);
  const y = selectColumns(table, [target], file);
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(y[i])) throw new TableError(file, 'the target is missing (every row needs a target value)', i + 1, target);
  }
  return { X: selectColumns(table, featureNames, file), y, n: table.rows, d: featureNames.length, featureNames };
}
