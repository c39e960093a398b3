/**
 * The experiment contract as URL state: every setting with a `url` key in the option table
 * (spec-options.ts) read from and written to URLSearchParams, so a shared link reproduces an
 * experiment's settings. Pure functions (no `location`, no framework): the app's settings
 * (src/ui/lib/settings.svelte.ts) call them with the page's query, the round-trip test with its own.
 * A malformed value in a link is dropped with a note, and the setting keeps its default, so an old
 * or hand-edited link still opens.
 */
import type { GridPoint } from '../train/training-settings';
import { SPEC_DEFAULTS, SPEC_OPTIONS, setAt, valueAt, type SpecOption } from './spec-options';
import { resolveSpec, SpecError } from './spec';
import { gridFromText, gridText, OptionValueError, optionText, parseOptionText } from './spec-text';
import type { ExperimentSpec, ExperimentSpecInput, GridInput } from './spec-types';

type GridOption = Extract<SpecOption, { kind: 'grid' }>;

const withKey = SPEC_OPTIONS.filter((o) => o.url !== undefined);

/** The app's defaults: the contract's, by reference (the CLI's are the same object). */
export const URL_DEFAULTS = SPEC_DEFAULTS;

/** The settings a link carries: a resolved spec without the data set and the model (the app keeps those in keys of its own). */
export type SpecSettings = Omit<ExperimentSpec, 'dataset' | 'model'>;

/** Every URL key the contract uses. */
export const SPEC_URL_KEYS: readonly string[] = withKey.flatMap((o) => (o.kind === 'grid' ? [o.url!, ...Object.values(o.lists.url)] : [o.url!]));

/** The spec input a query carries, and a note for each value that was dropped as malformed. */
export function specInputFromUrl(params: URLSearchParams): { input: ExperimentSpecInput; problems: string[] } {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const o of withKey) {
    try {
      if (o.kind === 'grid') {
        const g = gridFromUrl(o, params);
        if (g !== undefined) setAt(input, o.path, g);
        continue;
      }
      const raw = params.get(o.url!);
      if (raw !== null) setAt(input, o.path, parseOptionText(o, raw, `link setting ${o.url}`, true));
    } catch (e) {
      if (!(e instanceof OptionValueError)) throw e;
      problems.push(`${e.message}; using the default`);
    }
  }
  return { input: input as ExperimentSpecInput, problems };
}

function gridFromUrl(o: GridOption, params: URLSearchParams): GridInput | undefined {
  const lists: Partial<Record<keyof GridPoint, string>> = {};
  for (const [k, key] of Object.entries(o.lists.url) as [keyof GridPoint, string][]) lists[k] = params.get(key) ?? undefined;
  const preset = params.get(o.url!) ?? undefined;
  // Lists without "custom" are what the form remembers for later; only "custom" uses them.
  if (preset !== 'custom') return preset === undefined ? undefined : gridFromText(preset, {}, names(o));
  return gridFromText(preset, lists, names(o));
}

const names = (o: GridOption) => ({
  preset: `link setting ${o.url}`,
  lists: Object.fromEntries(Object.entries(o.lists.url).map(([k, key]) => [k, `link setting ${key}`])) as Record<keyof GridPoint, string>,
});

/**
 * The query values of `settings`: every key, defaults included (a link must not depend on today's
 * defaults); null for a key to remove (`sseed` when the split follows the seed).
 */
export function specToUrl(settings: SpecSettings): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const o of withKey) {
    const value = valueAt(settings, o.path);
    if (o.path === 'split.seed') {
      out[o.url!] = value === settings.seed ? null : String(value);
    } else if (o.kind === 'grid') {
      const { preset, lists } = gridText(value as SpecSettings['grids']['single']);
      out[o.url!] = preset;
      for (const [k, key] of Object.entries(o.lists.url) as [keyof GridPoint, string][]) out[key] = lists ? lists[k] : null;
    } else if (o.kind === 'pairs' && (value as SpecSettings['pairs']).kind === 'list') {
      out[o.url!] = null;
    } else {
      out[o.url!] = optionText(o, value);
    }
  }
  return out;
}

/** Stand-ins for the references `resolveSpec` requires; never stored (the settings drop them). */
const NO_DATASET = { kind: 'stored', id: '(none)' } as const;
const NO_MODEL = { kind: 'stored', id: '(none)' } as const;

/**
 * The resolved settings of a query, laid over `start` (e.g. a preset of EXPERIMENT_PRESETS for a
 * fresh page): what the app's form starts from. A value that passes alone but not with the others
 * (a training cap below twice the minimum positives) is dropped with a note too.
 */
export function settingsFromUrl(params: URLSearchParams, start: ExperimentSpecInput = {}): { settings: SpecSettings; problems: string[] } {
  const { input, problems } = specInputFromUrl(params);
  const merged = structuredClone(start) as Record<string, unknown>;
  for (const o of SPEC_OPTIONS) {
    const v = valueAt(input, o.path);
    if (v !== undefined) setAt(merged, o.path, v);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const { dataset: _d, model: _m, ...settings } = resolveSpec({ ...merged, dataset: NO_DATASET, model: NO_MODEL });
      return { settings, problems };
    } catch (e) {
      if (!(e instanceof SpecError) || attempt > SPEC_OPTIONS.length) throw e;
      const path = e.path.replace(/^spec\./, '').replace(/\[\d+\].*$/, '');
      problems.push(`${e.message}; using the default`);
      setAt(merged, path, undefined);
    }
  }
}
