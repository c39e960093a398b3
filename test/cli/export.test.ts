/**
 * `cli export` (src/cli/commands/export.ts): an experiment the command line ran becomes the zip the
 * app imports. A tiny run on the fixture model is exported under another id, without its data set,
 * and imported into an empty browser store (fake-indexeddb) that has the data set: every record
 * arrives under the new id and the imported experiment gives the command line's own tables. Without
 * the data set in the store the import is refused and writes nothing; bad flags are usage errors;
 * a folder whose experiment is running is refused (its lock).
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/args';
import { run as runExperimentCli } from '../../src/cli/commands/experiment';
import { run as runExport } from '../../src/cli/commands/export';
import { lockExperiment } from '../../src/cli/experiment-lock';
import { folderSource } from '../../src/lib/bert/file-source.node.js';
import { experimentPlanOf } from '../../src/lib/pipeline/experiment';
import { experimentOutputs } from '../../src/lib/pipeline/outputs';
import { openFolderStore } from '../../src/lib/store/folder.node.js';
import { openIdbStore } from '../../src/lib/store/idb';
import type { Store } from '../../src/lib/store/store';
import { ExchangeService } from '../../src/worker/exchange';
import { useWasmBackend } from '../helpers/wasm-backend';
import { syntheticJsonl } from '../lib/pipeline/synthetic';

useWasmBackend();

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = join(ROOT, 'models', 'fixture-tiny');
const dir = mkdtempSync(join(tmpdir(), 'export-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'run');
const zipFile = join(dir, 'exp.zip');
const modelSource = async () => folderSource(FIXTURE);
let stores = 0;
const freshStore = () => openIdbStore({ name: `export-cli-test-${process.pid}-${++stores}`, storage: {} });
const exchangeFor = (store: Store) => new ExchangeService(async () => store, { env: async () => ({ store, modelSource }) }, modelSource);

let cliFiles: Record<string, string>;

beforeAll(async () => {
  const data = join(dir, 'docs.jsonl');
  writeFileSync(data, syntheticJsonl());
  const spec = join(dir, 'spec.json');
  writeFileSync(spec, JSON.stringify({ grids: { single: { lr: [3e-3], epochs: [1], batch: [16] }, transfer: { lr: [3e-3], epochs: [1], batch: [16] } } }));
  await runExperimentCli(['--data', data, '--format', 'jsonl', '--model', FIXTURE, '--out', out, '--spec', spec,
    '--steps', '4', '--max-docs-per-task', '3', '--deterministic-clock', '--lanes', '1']);
  cliFiles = Object.fromEntries(['runs.csv', 'features.csv', 'table1.csv', 'headline.csv'].map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}, 240_000);

describe('cli export', () => {
  it('writes a zip that an empty browser store with the data set imports under the new id, with the same tables', async () => {
    const r = await runExport(['--out', out, '--to', zipFile, '--id', 'cli-run', '--name', 'CLI run', '--attributions', '--without-dataset']) as { status: string; bytes: number };
    expect(r.status).toBe('done');
    const entries = unzipSync(new Uint8Array(readFileSync(zipFile)));
    expect(Object.keys(entries)).not.toContain('transferscope/dataset.json');
    for (const f of ['runs.csv', 'runs.json', 'summary.json', 'transferscope/attributions.json']) expect(Object.keys(entries)).toContain(f);
    // No record keeps the command line's id.
    for (const f of ['runs', 'features', 'regressors', 'attributions']) expect(strFromU8(entries[`transferscope/${f}.json`])).not.toMatch(/"experiment::|"experimentId": "experiment"/);

    const cliStore = await openFolderStore(join(out, 'store'));
    const plan = experimentPlanOf((await cliStore.experiments.get('experiment'))!);
    const dataset = (await cliStore.datasets.get(plan.dataset.id))!;

    const bare = await freshStore();
    await expect(exchangeFor(bare).importZip(new Uint8Array(readFileSync(zipFile)), 'exp.zip')).rejects.toThrow(/leaves out its data set .* import the data set first/);
    expect(await bare.experiments.count()).toBe(0);
    expect(await bare.runs.count()).toBe(0);

    const browser = await freshStore();
    await browser.datasets.put(dataset);
    expect(await exchangeFor(browser).importZip(new Uint8Array(readFileSync(zipFile)), 'exp.zip')).toEqual({ id: 'cli-run', name: 'CLI run' });
    expect(await browser.runs.count()).toBe(await cliStore.runs.count());
    expect((await browser.runs.list()).every((x) => x.experimentId === 'cli-run' && x.id.startsWith('cli-run::'))).toBe(true);
    expect(await browser.attributions.count()).toBe(await cliStore.attributions.count());
    // The fixture model is one of the bundled models: the app finds it by that name.
    expect(experimentPlanOf((await browser.experiments.get('cli-run'))!).spec.model).toEqual({ kind: 'bundled', name: 'fixture-tiny' });
    const files = (await experimentOutputs({ store: browser, modelSource }, 'cli-run')).files;
    for (const [name, text] of Object.entries(cliFiles)) expect(files[name], name).toBe(text);
  });

  it('refuses bad flags and a folder that is being run', async () => {
    await expect(runExport(['--out', out, '--to', join(dir, 'x.txt')])).rejects.toThrow(CliError);
    await expect(runExport(['--out', out, '--to', zipFile, '--id', 'has space'])).rejects.toThrow(/--id: use letters/);
    await expect(runExport(['--out', join(dir, 'nothing'), '--to', zipFile])).rejects.toThrow(/holds no experiment store/);
    const unlock = await lockExperiment(out, () => undefined);
    try {
      await expect(runExport(['--out', out, '--to', zipFile])).rejects.toThrow(/being run by process/);
    } finally {
      await unlock();
    }
  });
});
