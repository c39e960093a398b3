/**
 * The tasks a fresh Experiment form starts with. Every ordered pair of tasks is a transfer
 * training, so a first experiment takes a few tasks, not all; and it takes the most frequent of
 * those with enough positives (TREC-IS's first tasks by name are among its rarest, which trained
 * to F1 0 and made a first run meaningless).
 */
import type { TaskRow } from '../../worker/protocol';

export const FIRST_TASKS = 4;

/** The `count` kept tasks with the most positives (train + test), in the overview's order. */
export function firstTasks(rows: readonly TaskRow[], count = FIRST_TASKS): string[] {
  const kept = rows.filter((r) => r.kept);
  const top = new Set(
    [...kept]
      .sort((a, b) => b.trainPositives + b.testPositives - (a.trainPositives + a.testPositives) || a.task.localeCompare(b.task))
      .slice(0, count)
      .map((r) => r.task),
  );
  return kept.filter((r) => top.has(r.task)).map((r) => r.task);
}

/**
 * The chosen tasks if the data set has them all, else null (every task): the starting preset names
 * the demo's tasks, and a link may name another data set's, so a data set lacking them starts from
 * its own. App applies it whenever the data set changes, before any view plans; the Experiment view also against the kept tasks.
 */
export function tasksThatFit(chosen: readonly string[] | null, available: readonly string[]): string[] | null {
  if (chosen === null) return null;
  return chosen.every((t) => available.includes(t)) ? [...chosen] : null;
}
