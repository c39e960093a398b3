/**
 * The experiment contract as command-line flags: the flag names, their parsing into an
 * `ExperimentSpecInput`, the flags of a resolved spec (the way back), and the usage lines — all from
 * the option table (spec-options.ts). Framework-free and Node-free so the round-trip test runs it;
 * the CLI (src/cli/commands/experiment.ts, train.ts) turns `OptionValueError` into a usage error.
 */
import type { GridPoint } from '../train/training-settings';
import { describeOption, describeRange, GRID_VALUE_RANGES, SPEC_DEFAULTS, SPEC_OPTIONS, setAt, valueAt, type SpecOption } from './spec-options';
import { gridFromText, gridText, optionText, parseNumber, parseOptionText } from './spec-text';
import type { ExperimentSpec, ExperimentSpecInput, GridInput } from './spec-types';

/** What the CLI's parser gives: the last value of a flag, and whether a flag or switch was given. */
export interface FlagValues {
  get(flag: string): string | undefined;
  has(flag: string): boolean;
}

type GridOption = Extract<SpecOption, { kind: 'grid' }>;

const withFlag = SPEC_OPTIONS.filter((o) => o.cli !== undefined);
const gridOptions = withFlag.filter((o): o is GridOption => o.kind === 'grid');

/** The CLI's defaults: the contract's, by reference (the app's are the same object). */
export const CLI_DEFAULTS = SPEC_DEFAULTS;

/** Every flag of the contract: `values` take a value, `switches` do not (booleans). */
export const SPEC_FLAGS: { values: string[]; switches: string[] } = {
  values: withFlag.flatMap((o) => (o.kind === 'boolean' ? [] : o.kind === 'grid' ? [o.cli!, ...Object.values(o.lists.cli)] : [o.cli!])),
  switches: withFlag.filter((o) => o.kind === 'boolean').map((o) => o.cli!),
};

function gridFromFlags(o: GridOption, flags: FlagValues, current: GridInput | undefined): GridInput | undefined {
  const lists: Partial<Record<keyof GridPoint, string>> = {};
  for (const [k, flag] of Object.entries(o.lists.cli) as [keyof GridPoint, string][]) lists[k] = flags.get(flag);
  const names = { preset: `--${o.cli}`, lists: Object.fromEntries(Object.entries(o.lists.cli).map(([k, f]) => [k, `--${f}`])) as Record<keyof GridPoint, string> };
  return gridFromText(flags.get(o.cli!), lists, names, current);
}

/**
 * The spec input of `base` (e.g. a `--spec` file's object) with every given flag laid over it.
 * A value outside its option's range throws OptionValueError naming the flag. When only the
 * single-task grid's flags are given, the transfer grid follows them.
 */
export function specInputFromFlags(flags: FlagValues, base: ExperimentSpecInput = {}): ExperimentSpecInput {
  const input = structuredClone(base) as Record<string, unknown>;
  for (const o of withFlag) {
    if (o.kind === 'grid') continue;
    const flag = o.cli!;
    if (o.kind === 'boolean') {
      if (flags.has(flag)) setAt(input, o.path, !valueAt(SPEC_DEFAULTS, o.path));
      continue;
    }
    const raw = flags.get(flag);
    if (raw !== undefined) setAt(input, o.path, parseOptionText(o, raw, `--${flag}`));
  }
  const [single, transfer] = gridOptions;
  const grids = (input.grids ?? {}) as { single?: GridInput; transfer?: GridInput };
  const s = gridFromFlags(single, flags, grids.single);
  const t = gridFromFlags(transfer, flags, grids.transfer);
  if (s !== undefined || t !== undefined) {
    input.grids = { ...grids, ...(s !== undefined ? { single: s } : {}), ...(t !== undefined ? { transfer: t } : s !== undefined ? { transfer: s } : {}) };
  }
  return input as ExperimentSpecInput;
}

/**
 * Flags that give back `spec`'s settings (not the data set and the model, which each command takes
 * its own way): every flagged option, so the command does not depend on today's defaults. A
 * boolean appears as its switch only when it differs from the default; a pair list has no flag.
 */
export function specToFlags(spec: ExperimentSpec): string[] {
  const out: string[] = [];
  for (const o of withFlag) {
    const value = valueAt(spec, o.path);
    if (o.path === 'split.seed' && value === spec.seed) continue;
    if (o.kind === 'boolean') {
      if (value !== valueAt(SPEC_DEFAULTS, o.path)) out.push(`--${o.cli}`);
    } else if (o.kind === 'grid') {
      const { preset, lists } = gridText(value as ExperimentSpec['grids']['single']);
      out.push(`--${o.cli}`, preset);
      if (lists) for (const [k, flag] of Object.entries(o.lists.cli) as [keyof GridPoint, string][]) out.push(`--${flag}`, lists[k]);
    } else {
      out.push(`--${o.cli}`, optionText(o, value));
    }
  }
  return out;
}

/** One option's value from its flag, or its default: for commands that use single options (`train`). */
export function flagValue(flags: FlagValues, path: string): unknown {
  const o = withFlag.find((x) => x.path === path);
  if (!o || o.kind === 'grid') throw new Error(`no single-valued flag for ${path}`);
  if (o.kind === 'boolean') return flags.has(o.cli!) ? !valueAt(SPEC_DEFAULTS, path) : valueAt(SPEC_DEFAULTS, path);
  const raw = flags.get(o.cli!);
  return raw === undefined ? valueAt(SPEC_DEFAULTS, path) : parseOptionText(o, raw, `--${o.cli}`);
}

/** One grid point's value from a flag of the same name (`train --lr X --epochs N --batch N`). */
export function gridValueFlag(flags: FlagValues, key: keyof GridPoint): number | undefined {
  const raw = flags.get(key);
  return raw === undefined ? undefined : parseNumber(raw, GRID_VALUE_RANGES[key], `--${key}`)!;
}

const GRID_VALUE_TEXT: Record<keyof GridPoint, string> = { lr: 'peak learning rate', epochs: 'passes over the training documents', batch: 'examples per step' };

function defaultText(o: SpecOption): string {
  const d = valueAt(SPEC_DEFAULTS, o.path);
  if (o.path === 'split.seed') return 'the seed';
  if (o.kind === 'boolean') return '';
  if (o.kind === 'grid') return (d as { name: string }).name;
  if (d === undefined) return '';
  return optionText(o, d);
}

const pad = (s: string) => (s.length >= 24 ? `${s}\n${' '.repeat(26)}` : s.padEnd(24));

/** Usage lines for the options at `paths` (default: every flagged option), e.g. for `--help`. */
export function flagUsage(paths?: readonly string[]): string {
  const chosen = paths ? paths.map((p) => withFlag.find((o) => o.path === p)!) : withFlag;
  return chosen.map((o) => {
    const d = defaultText(o);
    const head = o.kind === 'boolean' ? `--${o.cli}` : `--${o.cli} ${o.kind === 'number' ? (o.range.integer ? 'N' : 'X') : 'V'}`;
    let line = `  ${pad(head)}${o.description}${o.kind === 'boolean' ? '' : `: ${describeOption(o)}`}${d ? `; default ${d}` : ''}`;
    if (o.kind === 'grid') line += `\n  ${pad(Object.values(o.lists.cli).map((f) => `--${f}`).join(' '))}custom lists (comma-separated) replacing the preset's`;
    return line;
  }).join('\n');
}

/** Usage lines of `train`'s grid-point flags. */
export function gridValueUsage(): string {
  return (Object.keys(GRID_VALUE_RANGES) as (keyof GridPoint)[])
    .map((k) => `  ${pad(`--${k} ${GRID_VALUE_RANGES[k].integer ? 'N' : 'X'}`)}${GRID_VALUE_TEXT[k]}: ${describeRange(GRID_VALUE_RANGES[k])}`)
    .join('\n');
}
