import { describe, expect, it } from 'vitest';
import { SCHEMA, upgradeRecord } from '../../../src/lib/store/schema';
import { attribution, experiment, v1Attribution, v1Experiment } from './contract';

describe('upgradeRecord', () => {
  it('brings schema-1 records to the current shape', () => {
    expect(upgradeRecord('attributions', v1Attribution('m1', 'd1'))).toEqual(attribution('m1', 'd1'));
    expect(upgradeRecord('experiments', v1Experiment('e'))).toEqual({ ...experiment('e'), plan: { tasks: ['a', 'b'], grid: 'small' }, analysis: { headline: 'h' } });
  });

  it('leaves current records as they are: every migration is idempotent', () => {
    for (const m of SCHEMA.migrations) {
      const samples: Record<string, Record<string, unknown>[]> = {
        attributions: [attribution('m1', 'd1') as never, v1Attribution('m1', 'd1') as never],
        experiments: [experiment('e') as never, v1Experiment('e') as never],
      };
      for (const r of samples[m.table] ?? []) expect(m.upgrade(m.upgrade(r)), `${m.table}: ${m.description}`).toEqual(m.upgrade(r));
    }
    expect(upgradeRecord('attributions', attribution('m1', 'd1'))).toEqual(attribution('m1', 'd1'));
    expect(upgradeRecord('experiments', experiment('e'))).toEqual(experiment('e'));
  });

  it('two conductance settings of one model and document get two ids', () => {
    const a = attribution('m1', 'd1');
    const b = { ...a, nSteps: 20 };
    expect(upgradeRecord('attributions', { ...b, id: 'm1::d1' }).id).not.toBe(a.id);
  });
});
