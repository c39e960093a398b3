/**
 * One option's value as text (a CLI flag's or a URL key's value), both ways, by the option table
 * (spec-options.ts): the CLI (spec-flags.ts) and the app's URL state (spec-url.ts) share it, so a
 * value a link carries reads the same on the command line.
 */
import type { GridPoint } from '../train/training-settings';
import { gridPreset, GRID_PRESET_NAMES, isGridPresetName, type Grid } from './grids';
import { describeOption, describeRange, GRID_VALUE_RANGES, inRange, type NumberRange, type SpecOption } from './spec-options';
import type { GridInput, PairsSpec } from './spec-types';

/** A value that its option does not allow; `option` is how the user named it ("--clip", "URL key clip"). */
export class OptionValueError extends Error {
  constructor(readonly option: string, readonly problem: string) {
    super(`${option} ${problem}`);
    this.name = 'OptionValueError';
  }
}

const splitList = (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * A number in the range, or null for `nullWord` (and for "0" when `zeroIsNull` and 0 is outside the
 * range: the app's links wrote "no cap" as 0); the problem is thrown as OptionValueError(name, …).
 */
export function parseNumber(raw: string, range: NumberRange, name: string, nullWord?: string, zeroIsNull = false): number | null {
  const text = raw.trim();
  if (nullWord !== undefined && (text === nullWord || (zeroIsNull && text === '0' && !inRange(0, range)))) return null;
  const v = text === '' ? NaN : range.integer && !/^-?\d+$/.test(text) ? NaN : Number(text);
  if (!inRange(v, range)) {
    throw new OptionValueError(name, `must be ${describeRange(range)}${nullWord ? ` or ${nullWord}` : ''}, got "${raw}"`);
  }
  return v;
}

/** The numbers of one grid list ("1e-4, 3e-4"; spaces, commas or semicolons between). */
export function parseGridList(raw: string, key: keyof GridPoint, name: string): number[] {
  const parts = raw.split(/[\s,;]+/).filter(Boolean);
  if (parts.length === 0) throw new OptionValueError(name, `needs at least one value, got "${raw}"`);
  const values = parts.map((p) => parseNumber(p, GRID_VALUE_RANGES[key], name)!);
  const dup = values.find((x, i) => values.indexOf(x) !== i);
  if (dup !== undefined) throw new OptionValueError(name, `lists ${dup} twice`);
  return values;
}

/**
 * The spec input value of a non-grid option from its text. Booleans read 1/true and 0/false (the
 * CLI's switches do not come here). `zeroIsNull`: see parseNumber (links only).
 */
export function parseOptionText(o: SpecOption, raw: string, name: string, zeroIsNull = false): unknown {
  const bad = (): never => {
    throw new OptionValueError(name, `must be ${describeOption(o)}, got "${raw}"`);
  };
  switch (o.kind) {
    case 'number':
      return parseNumber(raw, o.range, name, o.nullWord, zeroIsNull);
    case 'boolean':
      return raw === '1' || raw === 'true' ? true : raw === '0' || raw === 'false' ? false : bad();
    case 'choice':
      return o.choices.includes(raw) ? raw : bad();
    case 'names': {
      const list = splitList(raw);
      if (list.length === 0 || list.some((x) => !o.choices.includes(x))) bad();
      if (new Set(list).size !== list.length) throw new OptionValueError(name, `lists a name twice: "${raw}"`);
      return list;
    }
    case 'tasks': {
      if (raw.trim() === 'all') return 'all';
      const list = splitList(raw);
      if (list.length === 0) throw new OptionValueError(name, 'needs at least one task name');
      return list;
    }
    case 'pairs':
      return raw.trim() === 'all' ? 'all' : /^[1-9]\d*$/.test(raw.trim()) ? Number(raw) : bad();
    case 'string':
      return raw.trim() === '' ? bad() : raw;
    case 'grid':
      return isGridPresetName(raw) || raw === 'custom' ? raw : bad();
  }
}

/** A resolved value as the text `parseOptionText` reads back (grids: see gridText). */
export function optionText(o: SpecOption, value: unknown): string {
  switch (o.kind) {
    case 'number':
      return value === null ? o.nullWord! : String(value);
    case 'boolean':
      return value ? '1' : '0';
    case 'names':
      return (value as string[]).join(',');
    case 'tasks':
      return value === 'all' ? 'all' : (value as string[]).join(',');
    case 'pairs': {
      const p = value as PairsSpec;
      if (p.kind === 'list') throw new Error('a list of pairs has no flag or URL form; give it in a spec file');
      return p.kind === 'all' ? 'all' : String(p.count);
    }
    default:
      return String(value);
  }
}

/** A grid as its preset's name, or "custom" with its lists. */
export function gridText(g: Grid): { preset: string; lists: Record<keyof GridPoint, string> | null } {
  if (isGridPresetName(g.name)) {
    const p = gridPreset(g.name);
    if (p.lr.join() === g.lr.join() && p.epochs.join() === g.epochs.join() && p.batch.join() === g.batch.join()) return { preset: g.name, lists: null };
  }
  return { preset: 'custom', lists: { lr: g.lr.join(','), epochs: g.epochs.join(','), batch: g.batch.join(',') } };
}

/**
 * A grid from a preset's name and lists given as text: the lists replace the preset's (or the
 * current grid's); any list makes it "custom". Undefined when nothing was given.
 */
export function gridFromText(
  preset: string | undefined,
  lists: Partial<Record<keyof GridPoint, string>>,
  names: { preset: string; lists: Record<keyof GridPoint, string> },
  current?: GridInput,
): GridInput | undefined {
  const given = (Object.keys(lists) as (keyof GridPoint)[]).filter((k) => lists[k] !== undefined);
  if (preset === undefined && given.length === 0) return undefined;
  if (preset !== undefined && !isGridPresetName(preset) && preset !== 'custom') {
    throw new OptionValueError(names.preset, `must be one of ${GRID_PRESET_NAMES.join(', ')}, got "${preset}" (or custom, with ${Object.values(names.lists).join(', ')})`);
  }
  if (given.length === 0 && preset !== 'custom') return preset as GridInput;
  const from = preset !== undefined && isGridPresetName(preset) ? preset : current ?? 'small';
  const start = typeof from === 'string' ? gridPreset(isGridPresetName(from) ? from : 'small') : from;
  const grid = { name: 'custom', lr: [...start.lr], epochs: [...start.epochs], batch: [...start.batch] };
  for (const k of given) grid[k] = parseGridList(lists[k]!, k, names.lists[k]);
  return grid;
}
