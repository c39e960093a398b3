import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../../src/lib/data/schema';
import { countJobs, planJobs } from '../../../src/lib/pipeline/plan';
import { prepareData } from '../../../src/lib/pipeline/prepare';
import { resolveSpec } from '../../../src/lib/pipeline/spec';
import { EXPERIMENT_PRESET_NAMES, EXPERIMENT_PRESETS, isExperimentPresetName, withPreset } from '../../../src/lib/pipeline/spec-options';

const refs = { dataset: { kind: 'demo', name: 'debtags' }, model: { kind: 'bundled', name: 'm' } };
const demo = JSON.parse(readFileSync(new URL('../../../datasets/debtags/debtags.json', import.meta.url), 'utf8')) as Dataset;

describe('experiment presets', () => {
  it('quick comes first: the preset a front end starts with', () => {
    expect(EXPERIMENT_PRESET_NAMES[0]).toBe('quick');
    expect(EXPERIMENT_PRESET_NAMES).toContain('browser');
    expect(isExperimentPresetName('quick')).toBe(true);
    expect(isExperimentPresetName('huge')).toBe(false);
  });

  it('withPreset lays a spec file over the preset, key by key, without touching the preset', () => {
    const merged = withPreset('quick', { conductance: { nSteps: 5 }, seed: 3 });
    expect(merged).toMatchObject({ seed: 3, maxTrainDocs: EXPERIMENT_PRESETS.quick.maxTrainDocs, conductance: { nSteps: 5, maxDocsPerTask: EXPERIMENT_PRESETS.quick.conductance.maxDocsPerTask } });
    expect(EXPERIMENT_PRESETS.quick.conductance.nSteps).not.toBe(5);
    expect(Object.isFrozen(EXPERIMENT_PRESETS.quick)).toBe(true);
  });

  it('quick trains every ordered pair of its demo tasks, one setting each, all kept by the demo', () => {
    const spec = resolveSpec({ ...withPreset('quick'), ...refs });
    const prepared = prepareData(demo, spec);
    const tasks = EXPERIMENT_PRESETS.quick.tasks;
    expect([...prepared.tasks].sort()).toEqual([...tasks].sort());
    const counts = countJobs(planJobs(spec, prepared.tasks));
    expect(counts.single).toBe(tasks.length);
    expect(counts.transfer).toBe(tasks.length * (tasks.length - 1));
    for (const t of prepared.tasks) expect(prepared.trainDocs.get(t)!.length).toBe(EXPERIMENT_PRESETS.quick.maxTrainDocs);
  });
});
