/**
 * `export`: an experiment that `experiment` ran (locally, in lanes or over a queue) as the zip the
 * app imports (Export view → "Import an experiment"). The same writer as the app's own export
 * (src/lib/pipeline/experiment-zip.ts), so a run finished on the command line, or on many machines,
 * opens in a browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError, parseArgs } from '../args';
import { experimentPlanOf } from '../../lib/pipeline/experiment';
import { buildExperimentZip } from '../../lib/pipeline/experiment-zip';
import { experimentOutputs } from '../../lib/pipeline/outputs';
import { openFolderStore } from '../../lib/store/folder.node.js';
import { writeFileAtomic } from '../../lib/util/atomic-write.node.js';
import { lockExperiment } from '../experiment-lock';
import type { BundledModelEntry } from '../../lib/pipeline/app-index';
import type { ModelRef } from '../../lib/pipeline/spec-types';
import { cliEnv, EXPERIMENT_ID, ROOT } from './experiment';

export const usage = `usage: npm run cli -- export --out DIR --to FILE.zip [--id ID] [--name NAME]
         [--attributions] [--models] [--without-dataset]
  DIR: the --out folder of an experiment command. Writes the zip that the app's Export view
  imports: the tables (runs.csv, …, summary.json) and the store records that rebuild the
  experiment. --attributions adds the conductance of every explained document (the Explain
  view's numbers), --models the best single-task models' weights (megabytes each),
  --without-dataset leaves the data set out (the importer must have it already: the demo data).
  --id ID / --name NAME: store it in the browser under this id and name (every experiment the
  command line runs is called "${EXPERIMENT_ID}" in its own folder, and two would clash).
  A base model that is one of this repository's bundled models (models/index.json) is named as
  the bundled model in the zip, so that the app finds it.
  Takes DIR's lock: refused while an experiment command is running there.`;

/** The bundled model a folder model is, if it is one of models/index.json's folders. */
export function bundledModelOf(ref: ModelRef): { ref: ModelRef; description: string } | undefined {
  if (ref.kind !== 'folder') return undefined;
  const index = JSON.parse(readFileSync(path.join(ROOT, 'models', 'index.json'), 'utf8')) as BundledModelEntry[];
  const entry = index.find((m) => path.resolve(ROOT, 'models', m.path) === path.resolve(ref.path));
  return entry ? { ref: { kind: 'bundled', name: entry.name }, description: `bundled model ${entry.name}` } : undefined;
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['out', 'to', 'id', 'name'], ['attributions', 'models', 'without-dataset']);
  const out = path.resolve(args.required('out'));
  const to = path.resolve(args.required('to'));
  const id = args.get('id');
  if (id !== undefined && !ID_PATTERN.test(id)) throw new CliError(`--id: use letters, digits, ".", "_" and "-" (at most 80, starting with a letter or digit), got ${JSON.stringify(id)}`);
  if (!to.endsWith('.zip')) throw new CliError(`--to: the file name must end in .zip, got ${to}`);
  if (!existsSync(path.join(out, 'store'))) throw new CliError(`--out: ${out} holds no experiment store (no store/ folder); give the --out folder of an experiment command`);

  const unlock = await lockExperiment(out, (line) => process.stderr.write(line + '\n'));
  try {
    const store = await openFolderStore(path.join(out, 'store'));
    const record = await store.experiments.get(EXPERIMENT_ID);
    if (!record) throw new CliError(`--out: ${out} has no experiment record; was the experiment command interrupted before it planned?`);
    const model = bundledModelOf(experimentPlanOf(record).spec.model);
    const tables = record.status === 'done' ? (await experimentOutputs(cliEnv(store), EXPERIMENT_ID)).files : null;
    if (!tables) process.stderr.write(`export: warning: the experiment is ${record.status}, not done: the zip has its records but no tables\n`);
    const zip = await buildExperimentZip(store, EXPERIMENT_ID, tables, {
      attributions: args.has('attributions'),
      models: args.has('models'),
      withoutDataset: args.has('without-dataset'),
      ...(model ? { model } : {}),
      ...(id !== undefined || args.get('name') !== undefined ? { rename: { id: id ?? EXPERIMENT_ID, ...(args.get('name') !== undefined ? { name: args.get('name') } : {}) } } : {}),
    });
    await writeFileAtomic(to, zip);
    return { status: record.status, to, bytes: zip.byteLength, id: id ?? EXPERIMENT_ID, name: args.get('name') ?? record.name };
  } finally {
    await unlock();
  }
}
