/**
 * Experiment names that tell experiments apart: the form names an experiment after its data set
 * and model, so two experiments on the same pair would share a name. A clash gets a suffix
 * (" (2)", " (3)"…), except with an experiment of exactly the same settings: planning that again
 * must find it (its id hashes the spec, name included), so it keeps that experiment's name.
 */

export interface NamedExperiment {
  name: string;
  /** The experiment's settings without its name, in a canonical text (equal settings, equal text). */
  settingsKey: string;
}

export function uniqueExperimentName(base: string, settingsKey: string, existing: readonly NamedExperiment[]): string {
  const same = existing.find((e) => e.settingsKey === settingsKey && (e.name === base || suffixOf(e.name, base) !== null));
  if (same) return same.name;
  const taken = new Set(existing.map((e) => e.name));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} (${n})`)) return `${base} (${n})`;
}

function suffixOf(name: string, base: string): number | null {
  if (!name.startsWith(`${base} (`) || !name.endsWith(')')) return null;
  const n = Number(name.slice(base.length + 2, -1));
  return Number.isInteger(n) && n >= 2 ? n : null;
}
