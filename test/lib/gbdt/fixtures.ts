/** Loading the copied fixtures of test/fixtures/gbdt (XGBoost 1.7.4 models, data, predictions). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseNumericCsv, splitTarget } from '../../../src/lib/gbdt/table';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/gbdt/', import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export function fixtureData(name: string) {
  return splitTarget(parseNumericCsv(fixtureText(name), name), 'target', name);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function rmseOf(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}
