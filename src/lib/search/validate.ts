/**
 * Input checks for the analysis. Results may come from our own pipeline or from a CSV written by
 * someone else's cluster, so every record is checked once, up front, and a bad one is named by its
 * index, its task(s) and the field, instead of surfacing later as a NaN in a plot.
 */
import type { SingleTaskResult, TrainSettings, TransferRow } from './types';

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  return v === undefined ? 'nothing' : typeof v;
}

function checkName(where: string, field: string, v: unknown): void {
  if (typeof v !== 'string' || v.length === 0) {
    throw new Error(`${where}: field "${field}" must be a non-empty string, got ${describeValue(v)}`);
  }
}

function checkNumber(where: string, field: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = min === -Infinity ? '' : max === Infinity ? ` ≥ ${min}` : ` in [${min}, ${max}]`;
    throw new Error(`${where}: field "${field}" must be a finite number${range}, got ${describeValue(v)}`);
  }
}

function checkSettings(where: string, s: TrainSettings | undefined): void {
  if (typeof s !== 'object' || s === null) {
    throw new Error(`${where}: field "settings" must be an object {lr, epochs, batch, seed}, got ${describeValue(s)}`);
  }
  for (const key of ['lr', 'epochs', 'batch', 'seed'] as const) {
    checkNumber(where, `settings.${key}`, s[key], -Infinity, Infinity);
  }
}

export function validateSingleTaskResults(results: readonly SingleTaskResult[]): void {
  if (!Array.isArray(results)) throw new Error('single-task results must be an array');
  results.forEach((r, i) => {
    const where = `single-task result ${i}${typeof r?.task === 'string' ? ` (task "${r.task}")` : ''}`;
    if (typeof r !== 'object' || r === null) throw new Error(`${where}: expected an object`);
    checkName(where, 'task', r.task);
    checkSettings(where, r.settings);
    checkNumber(where, 'f1', r.f1, 0, 1);
    if (r.validationF1 !== undefined) checkNumber(where, 'validationF1', r.validationF1, 0, 1);
    checkNumber(where, 'accuracy', r.accuracy, 0, 1);
    checkNumber(where, 'wallTimeMs', r.wallTimeMs, 0, Infinity);
  });
}

/** Checks the fields the analysis reads; `featureNames` (if given) must all be present and finite. */
export function validateTransferRows(rows: readonly TransferRow[], featureNames: readonly string[] = []): void {
  if (!Array.isArray(rows)) throw new Error('transfer rows must be an array');
  rows.forEach((r, i) => {
    const where =
      typeof r?.source === 'string' && typeof r?.target === 'string'
        ? `transfer row ${i} (${r.source}→${r.target})`
        : `transfer row ${i}`;
    if (typeof r !== 'object' || r === null) throw new Error(`${where}: expected an object`);
    checkName(where, 'source', r.source);
    checkName(where, 'target', r.target);
    if (r.source === r.target) throw new Error(`${where}: source and target are the same task`);
    checkSettings(where, r.settings);
    checkNumber(where, 'f1', r.f1, 0, 1);
    if (r.validationF1 !== undefined) checkNumber(where, 'validationF1', r.validationF1, 0, 1);
    checkNumber(where, 'accuracy', r.accuracy, 0, 1);
    checkNumber(where, 'wallTimeMs', r.wallTimeMs, 0, Infinity);
    if (featureNames.length > 0) {
      if (typeof r.features !== 'object' || r.features === null) {
        throw new Error(`${where}: field "features" must be an object of numbers, got ${describeValue(r.features)}`);
      }
      for (const name of featureNames) {
        const v = r.features[name];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new Error(`${where}: feature "${name}" must be a finite number, got ${describeValue(v)}`);
        }
      }
    }
  });
}

export function requireNonEmpty<T>(what: string, items: readonly T[]): void {
  if (items.length === 0) throw new Error(`${what}: no transfer rows given; the analysis needs at least one`);
}
