/**
 * Export and import of a whole experiment (src/worker/exchange.ts), in Node on fake-indexeddb:
 * a tiny experiment run by the pipeline is exported as a zip, imported into an empty store and
 * gives the same outputs; malformed zips (not a zip, a missing file, a changed data set, a broken
 * regressor, an experiment already there) are refused with a specific message and leave the store
 * untouched; a store that runs out of room half-way through an import is left as it was.
 */
import 'fake-indexeddb/auto';
import { fileURLToPath } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderSource } from '../../src/lib/bert/file-source.node.js';
import { createExperiment } from '../../src/lib/pipeline/experiment';
import { experimentOutputs } from '../../src/lib/pipeline/outputs';
import { runExperiment } from '../../src/lib/pipeline/runner';
import type { PipelineEnv } from '../../src/lib/pipeline/types';
import { openIdbStore } from '../../src/lib/store/idb';
import { StorageFullError } from '../../src/lib/store/errors';
import type { Store } from '../../src/lib/store/store';
import { ExchangeService } from '../../src/worker/exchange';
import { useWasmBackend } from '../helpers/wasm-backend';
import { syntheticDataset } from '../lib/pipeline/synthetic';

useWasmBackend();

const FIXTURE = fileURLToPath(new URL('../../models/fixture-tiny/', import.meta.url));
const SPEC = {
  name: 'exchange test',
  dataset: { kind: 'stored', id: 'syn' },
  model: { kind: 'folder', path: FIXTURE },
  tasks: ['flood', 'fire', 'aid'],
  grids: { single: 'tiny', transfer: 'tiny' },
  training: { classBalanced: true },
  conductance: { nSteps: 4, maxDocsPerTask: 3 },
  minPositives: { train: 5, test: 2 },
  seed: 3,
};
const ID = 'exp-exchange';
const modelSource = async () => folderSource(FIXTURE);
let stores = 0;

async function freshStore(): Promise<Store> {
  return openIdbStore({ name: `exchange-test-${process.pid}-${++stores}`, storage: {} });
}

function exchangeFor(store: Store): ExchangeService {
  const env: PipelineEnv = { store, modelSource };
  return new ExchangeService(async () => store, { env: async () => env }, modelSource);
}

async function counts(store: Store): Promise<Record<string, number>> {
  return {
    experiments: await store.experiments.count(),
    datasets: await store.datasets.count(),
    runs: await store.runs.count(),
    features: await store.features.count(),
    regressors: await store.regressors.count(),
    attributions: await store.attributions.count(),
    models: await store.models.count(),
  };
}

/** The exported zip with one entry replaced (or removed when `bytes` is null). */
function patched(zip: Uint8Array, name: string, bytes: Uint8Array | null): Uint8Array {
  const entries: Record<string, Uint8Array> = unzipSync(zip);
  if (bytes === null) delete entries[name];
  else entries[name] = bytes;
  return zipSync(entries);
}

function patchJson(zip: Uint8Array, name: string, fn: (v: any) => unknown): Uint8Array {
  const entries = unzipSync(zip);
  return patched(zip, name, strToU8(JSON.stringify(fn(JSON.parse(strFromU8(entries[name]))))));
}

let source: Store;
let zip: Uint8Array;
let outputs: Record<string, string>;

beforeAll(async () => {
  source = await freshStore();
  await source.datasets.put({ id: 'syn', savedAt: '2025-01-01T00:00:00Z', dataset: syntheticDataset() });
  const env: PipelineEnv = { store: source, modelSource };
  await createExperiment(env, SPEC, { id: ID });
  const outcome = await runExperiment(env, ID);
  expect(outcome.status).toBe('done');
  outputs = (await experimentOutputs(env, ID)).files;
  zip = await exchangeFor(source).experimentZip(ID, { attributions: true, models: true });
}, 120_000);

describe('experiment export', () => {
  it('lists every table as CSV and JSON with the same rows', async () => {
    const files = await exchangeFor(source).tables(ID);
    const names = files.map((f) => f.name);
    for (const t of ['runs', 'features', 'table1', 'rmse_at_k', 'runtime_at_k', 'headline']) {
      expect(names).toContain(`${t}.csv`);
      expect(names).toContain(`${t}.json`);
      const csvRows = files.find((f) => f.name === `${t}.csv`)!.text.trim().split('\n').length - 1;
      expect(JSON.parse(files.find((f) => f.name === `${t}.json`)!.text)).toHaveLength(csvRows);
    }
    expect(names).toContain('summary.json');
    const table1 = JSON.parse(files.find((f) => f.name === 'table1.json')!.text) as Record<string, unknown>[];
    expect(table1.at(-1)!.kind).toBe('average');
    expect(typeof table1.at(-1)!.single_f1).toBe('number');
  });

  it('imports into an empty store with every record and the same outputs', async () => {
    const target = await freshStore();
    const result = await exchangeFor(target).importZip(zip, 'exp.zip');
    expect(result).toEqual({ id: ID, name: 'exchange test' });
    expect(await counts(target)).toEqual(await counts(source));
    const again = await experimentOutputs({ store: target, modelSource }, ID);
    expect(again.files).toEqual(outputs);
    // Attributions keep their typed arrays exactly.
    const [a] = await source.attributions.list();
    const b = await target.attributions.get(a.id);
    expect(b!.perLayer).toBeInstanceOf(Float32Array);
    expect(Array.from(b!.perLayer)).toEqual(Array.from(a.perLayer));
  });

  it('imports an export written by store schema 1 (analysis in the plan, attributions under model::doc)', async () => {
    let old = patchJson(zip, 'transferscope/experiment.json', ({ analysis, ...r }) => ({ ...r, plan: { ...r.plan, analysis } }));
    old = patchJson(old, 'transferscope/attributions.json', (list: { id: string; modelId: string; docId: string }[]) => list.map((a) => ({ ...a, id: `${a.modelId}::${a.docId}` })));
    const target = await freshStore();
    await exchangeFor(target).importZip(old, 'old.zip');
    expect((await experimentOutputs({ store: target, modelSource }, ID)).files).toEqual(outputs);
    expect(await target.attributions.keys()).toEqual(await source.attributions.keys());
    expect((await target.experiments.get(ID))!.plan).not.toHaveProperty('analysis');
  });

  it('lists the regressors fitted on all rows first, and exports each as XGBoost JSON', async () => {
    const exchange = exchangeFor(source);
    const list = await exchange.regressors(ID);
    const featureSets = ['F1', 'F1+ANSAT', 'F1+baselines', 'F1+ANSAT+baselines'];
    expect(list.slice(0, 4).map((r) => r.heldOutTarget)).toEqual([null, null, null, null]);
    expect(list.slice(0, 4).map((r) => r.featureSet).sort()).toEqual([...featureSets].sort());
    expect(list.slice(4).every((r) => typeof r.heldOutTarget === 'string')).toBe(true);
    const all = JSON.parse(await exchange.regressorJson(ID, 'F1+ANSAT', null)) as { learner: unknown };
    const fold = JSON.parse(await exchange.regressorJson(ID, 'F1+ANSAT', list[4].heldOutTarget)) as { learner: unknown };
    expect(all.learner).toBeDefined();
    expect(all).not.toEqual(fold);
    await expect(exchange.regressorJson(ID, 'nope', null)).rejects.toThrow(/no regressor for feature set nope fitted on all rows/);
  });

  it('writes a trained model as a Hugging Face folder with the base model\'s tokenizer', async () => {
    const [model] = await source.models.listBy('experimentId', ID);
    const entries = unzipSync(await exchangeFor(source).modelZip(ID, model.id));
    expect(Object.keys(entries).sort()).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'vocab.txt']));
    expect(JSON.parse(strFromU8(entries['config.json'])).num_labels).toBe(2);
  });
});

describe('malformed imports change nothing', () => {
  const cases: [string, () => Uint8Array, RegExp][] = [
    ['not a zip', () => strToU8('PK this is not a zip'), /bad\.zip: not a zip file/],
    ['a missing file', () => patched(zip, 'transferscope/runs.json', null), /transferscope\/runs\.json is missing/],
    ['a wrong manifest', () => patchJson(zip, 'transferscope/manifest.json', (m) => ({ ...m, format: 'other' })), /manifest\.json: format is "other"/],
    ['a changed data set', () => patchJson(zip, 'transferscope/dataset.json', (d) => {
      d.dataset.docs[0].text += ' edited';
      return d;
    }), /dataset\.json: its content does not match the fingerprint/],
    ['a run of another experiment', () => patchJson(zip, 'transferscope/runs.json', (runs) => {
      runs[1].experimentId = 'other';
      return runs;
    }), /runs\.json: record 1 .* belongs to experiment "other"/],
    ['a broken regressor', () => patchJson(zip, 'transferscope/regressors.json', (regs) => {
      regs[0].model = '{"learner": 3}';
      return regs;
    }), /regressors\.json: record 0: /],
    ['missing model weights', () => patched(zip, Object.keys(unzipSync(zip)).find((n) => n.endsWith('.safetensors'))!, null), /the weights of model .* are missing/],
  ];

  it.each(cases)('%s', async (_name, make, message) => {
    const target = await freshStore();
    const before = await counts(target);
    await expect(exchangeFor(target).importZip(make(), 'bad.zip')).rejects.toThrow(message);
    expect(await counts(target)).toEqual(before);
  });

  it('an experiment that is already stored', async () => {
    await expect(exchangeFor(source).importZip(zip, 'exp.zip')).rejects.toThrow(/already has the experiment "exchange test"/);
  });

  it('a store that fills up half-way through is left as it was', async () => {
    const target = await freshStore();
    const before = await counts(target);
    const put = target.attributions.putMany.bind(target.attributions);
    target.attributions.putMany = async () => {
      throw new StorageFullError('attributions', 1_000_000, { usage: 10, quota: 10 });
    };
    await expect(exchangeFor(target).importZip(zip, 'exp.zip')).rejects.toThrow(StorageFullError);
    target.attributions.putMany = put;
    expect(await counts(target)).toEqual(before);
  });
});
