/**
 * The `F1` features of a pair: the F1 of the best single-task model of the source and of the target
 * (best = `bestSingleTask`: highest F1, ties → shorter training), under the names of `feature-names.ts`.
 */
import { F1_SOURCE, F1_TARGET } from './feature-names';
import type { SingleTaskResult } from './types';

export function f1Features(best: ReadonlyMap<string, SingleTaskResult>, source: string, target: string): Record<string, number> {
  const s = best.get(source);
  const t = best.get(target);
  if (s === undefined) throw new Error(`f1Features: source task "${source}" has no single-task result`);
  if (t === undefined) throw new Error(`f1Features: target task "${target}" has no single-task result`);
  return { [F1_SOURCE]: s.f1, [F1_TARGET]: t.f1 };
}
