import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openIdbStore } from '../../../src/lib/store/idb';
import { deleteExperiment } from '../../../src/lib/store/delete-experiment';
import { attribution, bytes, dataset, experiment, feature, model, regressor, run } from './contract';

describe('deleteExperiment', () => {
  it('deletes an experiment and what it produced, and nothing else', async () => {
    const store = await openIdbStore({ name: `delete-experiment-${process.pid}` });
    await store.datasets.put(dataset());
    await store.experiments.putMany([experiment('exp1'), experiment('exp2')]);
    await store.runs.putMany([run('r1'), run('r2'), run('r3', { experimentId: 'exp2' })]);
    await store.models.putWithFiles(model('m1'), { safetensors: bytes(10, 1) });
    await store.models.putWithFiles(model('m2', { experimentId: 'exp2' }), { safetensors: bytes(10, 2) });
    await store.attributions.put(attribution('m1', 'd1'));
    await store.features.put(feature('f1'));
    await store.regressors.put(regressor('g1'));

    expect(await deleteExperiment(store, 'exp1')).toEqual({ runs: 2, models: 1, attributions: 1, features: 1, regressors: 1, experiment: true });
    expect(await store.experiments.keys()).toEqual(['exp2']);
    expect(await store.runs.keys()).toEqual(['r3']);
    expect(await store.models.getFiles('m1')).toBeUndefined();
    expect(await store.models.getFiles('m2')).toEqual({ safetensors: bytes(10, 2) });
    expect(await store.attributions.count()).toBe(0);
    expect(await store.datasets.keys()).toEqual(['ds1']);
    expect(await deleteExperiment(store, 'exp1')).toEqual({ runs: 0, models: 0, attributions: 0, features: 0, regressors: 0, experiment: false });
    await store.close();
  });
});
