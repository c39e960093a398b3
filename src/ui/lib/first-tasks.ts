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
