/**
 * The one error every importer throws for bad input. It carries the location as fields (for the UI
 * to highlight) and renders it as one sentence (for the CLI and logs), e.g.
 * `data.csv, line 7, field "labels": expected 0 or 1, got "yes".`
 */
export interface ImportProblem {
  /** The input file name as given. */
  file: string;
  /** 1-based line in the (decoded) file, when known. */
  line?: number;
  /** Which record: a JSON path such as `events[2].tweets[14]`, a row number, or an id. */
  record?: string | number;
  /** The field (column, JSON key) at fault. */
  field?: string;
  /** What was expected and what was found. */
  problem: string;
}

export class ImportError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly record?: string | number;
  readonly field?: string;
  readonly problem: string;

  constructor(p: ImportProblem) {
    super(renderProblem(p));
    this.name = 'ImportError';
    this.file = p.file;
    this.line = p.line;
    this.record = p.record;
    this.field = p.field;
    this.problem = p.problem;
  }
}

export function renderProblem(p: ImportProblem): string {
  const where = [p.file || '(unnamed file)'];
  if (p.line !== undefined) where.push(`line ${p.line}`);
  if (p.record !== undefined) where.push(`record ${p.record}`);
  if (p.field !== undefined) where.push(`field "${p.field}"`);
  const sentence = `${where.join(', ')}: ${p.problem}`;
  return /[.!?]$/.test(sentence) ? sentence : sentence + '.';
}

/** A short, bounded rendering of a bad value for an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') {
    const s = v.length > 60 ? v.slice(0, 57) + '...' : v;
    return v === '' ? 'an empty string' : `the string ${JSON.stringify(s)}`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return `the ${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return `an array (${v.length} item${v.length === 1 ? '' : 's'})`;
  return 'an object';
}
