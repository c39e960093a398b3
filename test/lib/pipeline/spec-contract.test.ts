import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args';
import { CLI_DEFAULTS, SPEC_FLAGS, specInputFromFlags, specToFlags } from '../../../src/lib/pipeline/spec-flags';
import { inRange, SPEC_DEFAULTS, SPEC_OPTIONS, valueAt, type NumberRange } from '../../../src/lib/pipeline/spec-options';
import { OptionValueError } from '../../../src/lib/pipeline/spec-text';
import { resolveSpec, SpecError, type ExperimentSpec } from '../../../src/lib/pipeline/spec';
import { settingsFromUrl, specInputFromUrl, specToUrl, URL_DEFAULTS } from '../../../src/lib/pipeline/spec-url';

const refs = { dataset: { kind: 'stored', id: 'd1' }, model: { kind: 'bundled', name: 'fixture-tiny' } } as const;

/** A spec whose every setting differs from its default. */
const UNUSUAL = resolveSpec({
  ...refs,
  tasks: ['b', 'a', 'c'],
  seed: 4_000_000_000,
  split: { seed: 9, testFraction: 0.35, by: 'event', validationFraction: 0.3 },
  seeds: 3,
  minPositives: { train: 4, test: 2 },
  grids: { single: { lr: [1e-4, 5e-4], epochs: [2], batch: [8, 24] }, transfer: 'paper' },
  pairs: 7,
  keepHead: true,
  maxLength: 64,
  maxTrainDocs: 300,
  minTrainPositiveShare: 0.4,
  logmeDocs: 40,
  training: { warmupFraction: 0, weightDecay: 0.1, clipNorm: 0, dropout: false, classBalanced: false },
  threshold: 'argmax',
  conductance: { method: 'riemann_trapezoid', nSteps: 20, internalBatchSize: 11, maxDocsPerTask: 5 },
  featureSets: ['F1+ANSAT', 'F1'],
  analysis: { maxF1Cost: 0.01, timeFraction: 1 },
});
const DEFAULT = resolveSpec({ ...refs });

const viaUrl = (spec: ExperimentSpec): ExperimentSpec => {
  const { dataset: _d, model: _m, ...settings } = spec;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(specToUrl(settings))) if (v !== null) params.set(k, v);
  // Through text, as a shared link travels.
  const back = settingsFromUrl(new URLSearchParams(params.toString()));
  expect(back.problems).toEqual([]);
  return { ...back.settings, dataset: spec.dataset, model: spec.model };
};

const viaFlags = (spec: ExperimentSpec): ExperimentSpec => {
  const args = parseArgs(specToFlags(spec), SPEC_FLAGS.values, SPEC_FLAGS.switches);
  return resolveSpec({ ...specInputFromFlags(args), name: spec.name, ...refs });
};

const viaJson = (spec: ExperimentSpec): ExperimentSpec => resolveSpec(JSON.parse(JSON.stringify(spec)));

describe('the experiment contract round trip', () => {
  it.each([['every setting changed', UNUSUAL], ['the defaults', DEFAULT]])('%s: URL state, CLI flags and a spec file give the same resolved spec', (_n, spec) => {
    expect(viaUrl(spec)).toEqual(spec);
    expect(viaFlags(spec)).toEqual(spec);
    expect(viaJson(spec)).toEqual(spec);
    expect(viaFlags(viaUrl(viaJson(spec)))).toEqual(spec);
  });

  it('the UNUSUAL spec really differs from the defaults in every option', () => {
    for (const o of SPEC_OPTIONS) {
      if (o.path === 'name') continue;
      expect(JSON.stringify(valueAt(UNUSUAL, o.path)), o.path).not.toBe(JSON.stringify(valueAt(DEFAULT, o.path)));
    }
  });

  it('the app and the CLI default to the same object', () => {
    expect(URL_DEFAULTS).toBe(CLI_DEFAULTS);
    expect(CLI_DEFAULTS).toBe(SPEC_DEFAULTS);
    expect(Object.isFrozen(SPEC_DEFAULTS.training)).toBe(true);
    // An empty query and no flags both resolve to the defaults.
    expect({ ...settingsFromUrl(new URLSearchParams()).settings, ...refs }).toEqual(DEFAULT);
    expect(resolveSpec({ ...specInputFromFlags(parseArgs([], SPEC_FLAGS.values, SPEC_FLAGS.switches)), ...refs })).toEqual(DEFAULT);
  });

  it('a link from before the contract still opens: 0 = no cap, 1 = on, lists with spaces', () => {
    const old = new URLSearchParams('tf=0.25&mintr=5&grid=custom&lr=1e-4, 3e-4&ep=2&bs=16&tgrid=tiny&pairs=3&head=1&bal=1&maxdocs=0&maxlen=128&steps=8&cmethod=gausslegendre&cdocs=0&seed=7');
    const { settings, problems } = settingsFromUrl(old);
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      seed: 7, split: { seed: 7, testFraction: 0.25 }, minPositives: { train: 5, test: 3 }, pairs: { kind: 'sample', count: 3 }, keepHead: true,
      maxTrainDocs: null, maxLength: 128, training: { classBalanced: true }, conductance: { nSteps: 8, maxDocsPerTask: null },
      grids: { single: { name: 'custom', lr: [1e-4, 3e-4], epochs: [2], batch: [16] }, transfer: { name: 'tiny' } },
    });
  });

  it('drops a malformed link value with a note naming the key, and keeps the default', () => {
    const { settings, problems } = settingsFromUrl(new URLSearchParams('clip=-1&tf=2&steps=x&grid=huge&maxdocs=12'));
    expect(problems).toEqual(expect.arrayContaining([
      'link setting grid must be one of tiny, small, paper, got "huge" (or custom, with link setting lr, link setting ep, link setting bs); using the default',
      'link setting tf must be a fraction in (0, 1), got "2"; using the default',
      'link setting clip must be a number ≥ 0 (0 = no clipping), got "-1"; using the default',
      'link setting steps must be an integer ≥ 1, got "x"; using the default',
      expect.stringMatching(/^experiment spec, spec\.maxTrainDocs: 12 is too small/),
    ]));
    expect(problems).toHaveLength(5);
    expect(settings.training.clipNorm).toBe(SPEC_DEFAULTS.training.clipNorm);
    expect(settings.maxTrainDocs).toBe(SPEC_DEFAULTS.maxTrainDocs);
    expect(specInputFromUrl(new URLSearchParams('clip=-1')).input).toEqual({});
  });
});

/** A value just outside a range, and one just inside. */
function outside(r: NumberRange): number[] {
  const out: number[] = [];
  if (r.min !== undefined) out.push(r.minExclusive ? r.min : r.min - (r.integer ? 1 : 0.001));
  if (r.max !== undefined) out.push(r.maxExclusive ? r.max : r.max + (r.integer ? 1 : 0.001));
  if (r.integer && r.min !== undefined) out.push(r.min + 0.5);
  return out;
}

describe('every numeric option has one range, enforced by resolveSpec and by its flag', () => {
  const numeric = SPEC_OPTIONS.filter((o): o is Extract<typeof o, { kind: 'number' }> => o.kind === 'number');
  it('covers the ranges issue 17 asks for', () => {
    const range = (p: string) => numeric.find((o) => o.path === p)!.range;
    expect(inRange(0, range('training.clipNorm'))).toBe(true); // 0 = no clipping
    expect(inRange(-1, range('training.clipNorm'))).toBe(false);
    expect(inRange(-5, range('training.weightDecay'))).toBe(false);
    expect(inRange(0, range('split.testFraction')) || inRange(1, range('split.testFraction'))).toBe(false);
    expect(inRange(1, range('training.warmupFraction'))).toBe(false);
    expect(inRange(2 ** 32, range('seed'))).toBe(false);
  });

  for (const o of numeric) {
    for (const bad of outside(o.range)) {
      it(`${o.path} = ${bad} is refused, naming the field and the flag`, () => {
        const input: Record<string, unknown> = { ...refs };
        const keys = o.path.split('.');
        if (keys.length === 1) input[keys[0]] = bad;
        else input[keys[0]] = { [keys[1]]: bad };
        expect(() => resolveSpec(input)).toThrow(SpecError);
        expect(() => resolveSpec(input)).toThrow(`spec.${o.path}: expected`);
        const args = parseArgs([`--${o.cli}`, String(bad)], SPEC_FLAGS.values, SPEC_FLAGS.switches);
        let err: unknown;
        try {
          specInputFromFlags(args);
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(OptionValueError);
        expect((err as Error).message).toMatch(new RegExp(`^--${o.cli} must be `));
      });
    }
  }

  it('says what --clip -1 should have been', () => {
    const args = parseArgs(['--clip', '-1'], SPEC_FLAGS.values, SPEC_FLAGS.switches);
    expect(() => specInputFromFlags(args)).toThrow('--clip must be a number ≥ 0 (0 = no clipping), got "-1"');
  });

  it('flags override a spec file; only the single grid given → the transfer grid follows it', () => {
    const args = parseArgs(['--grid', 'tiny', '--seed', '3'], SPEC_FLAGS.values, SPEC_FLAGS.switches);
    const s = resolveSpec({ ...specInputFromFlags(args, { seed: 1, training: { weightDecay: 0.2 } }), ...refs });
    expect(s.seed).toBe(3);
    expect(s.training.weightDecay).toBe(0.2);
    expect(s.grids.transfer.name).toBe('tiny');
    const lists = parseArgs(['--grid', 'paper', '--lr', '1e-3', '--transfer-grid', 'small'], SPEC_FLAGS.values, SPEC_FLAGS.switches);
    const t = resolveSpec({ ...specInputFromFlags(lists), ...refs });
    expect(t.grids.single).toEqual({ name: 'custom', lr: [1e-3], epochs: [1, 2, 3, 4], batch: [16, 32] });
    expect(t.grids.transfer.name).toBe('small');
  });
});

describe('the pipeline README', () => {
  it('lists every option of the table with its flag and URL key', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../src/lib/pipeline/README.md', import.meta.url), 'utf8');
    for (const o of SPEC_OPTIONS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${o.path}\` |`));
      expect(row, o.path).toBeDefined();
      if (o.cli) expect(row).toContain(`\`--${o.cli}\``);
      if (o.url) expect(row).toContain(`\`${o.url}\``);
    }
  });
});
