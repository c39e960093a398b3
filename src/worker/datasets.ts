/**
 * Data sets on the worker side: the bundled demo set (fetched once, then kept in IndexedDB so it
 * works offline even if the service worker is gone), imports from the user's files, and the
 * overview the Data view shows (task counts after the split, kept/excluded tasks, co-occurrence,
 * sample documents). The page gets summaries only: a data set can hold thousands of documents.
 */
import { importDataset, type ImportOptions } from '../lib/data/import';
import { ImportError } from '../lib/data/errors';
import type { Dataset, Doc, InputFile } from '../lib/data/schema';
import { splitOverview } from '../lib/data/split-overview';
import { DEMO_DATASET_PREFIX } from '../lib/pipeline/experiment';
import { labelCooccurrence, selectTasks } from '../lib/data/tasks';
import { StorageFullError } from '../lib/store/errors';
import type { DatasetRecord } from '../lib/store/records';
import type { Store } from '../lib/store/store';
import { createRng, shuffleInPlace } from '../lib/util/rng';
import type {
  DatasetOverview, DatasetSummary, DemoDataset, ImportOutcome, ImportProblemInfo, ImportRequest, OverviewRequest, SampleDoc,
} from './protocol';


export function summarize(record: DatasetRecord): DatasetSummary {
  const ds = record.dataset;
  const events = new Set<string>();
  let presplit = 0;
  for (const d of ds.docs) {
    if (d.event !== undefined) events.add(d.event);
    if (d.split !== undefined) presplit++;
  }
  return {
    id: record.id,
    name: ds.name,
    format: ds.source.format,
    files: ds.source.files,
    notes: ds.source.notes,
    tasks: ds.tasks,
    docs: ds.docs.length,
    presplit,
    events: events.size,
    savedAt: record.savedAt,
    demo: record.id.startsWith(DEMO_DATASET_PREFIX),
  };
}

function problemOf(e: unknown): ImportProblemInfo {
  if (e instanceof ImportError) {
    return { message: e.message, file: e.file, line: e.line, record: e.record, field: e.field, problem: e.problem };
  }
  if (e instanceof StorageFullError) return { message: e.message, storageFull: true };
  return { message: e instanceof Error ? e.message : String(e) };
}

/** A readable, unique id for an imported data set (the name plus a time stamp). */
function importId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'data';
  return `import:${slug}:${Date.now().toString(36)}`;
}

export class DatasetService {
  /** Data sets are read often (overview, samples, experiments) and change rarely. */
  private readonly cache = new Map<string, Dataset>();

  constructor(private readonly store: () => Promise<Store>, private readonly appBase: string) {}

  async demoIndex(): Promise<DemoDataset[]> {
    const url = new URL('datasets/index.json', this.appBase);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}; the app's demo data is missing from this deployment`);
    return (await res.json()) as DemoDataset[];
  }

  /** The demo data set, stored under `demo:<name>` the first time. */
  async ensureDemo(name: string): Promise<DatasetSummary> {
    const store = await this.store();
    const id = DEMO_DATASET_PREFIX + name;
    const existing = await store.datasets.get(id);
    if (existing) return summarize(existing);
    const entry = (await this.demoIndex()).find((d) => d.name === name);
    if (!entry) throw new Error(`there is no demo data set named "${name}"`);
    const url = new URL(`datasets/${entry.path}`, this.appBase);
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url.pathname}: HTTP ${res.status}`);
    const dataset = (await res.json()) as Dataset;
    const record: DatasetRecord = { id, savedAt: new Date().toISOString(), dataset };
    await store.datasets.put(record);
    this.cache.set(id, dataset);
    return summarize(record);
  }

  async list(): Promise<DatasetSummary[]> {
    const store = await this.store();
    return (await store.datasets.list()).map(summarize);
  }

  async get(id: string): Promise<Dataset> {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const record = await (await this.store()).datasets.get(id);
    if (!record) throw new Error(`data set "${id}" is not stored in this browser (deleted, or the link comes from another browser)`);
    this.cache.set(id, record.dataset);
    return record.dataset;
  }

  async summary(id: string): Promise<DatasetSummary> {
    const record = await (await this.store()).datasets.get(id);
    if (!record) throw new Error(`data set "${id}" is not stored in this browser`);
    return summarize(record);
  }

  /**
   * Imports files into a new stored data set. Bad input (or a full store) is returned as a
   * located problem and nothing is stored.
   */
  async import(request: ImportRequest): Promise<ImportOutcome> {
    try {
      const files: InputFile[] = [];
      for (const f of request.files) files.push({ name: f.name, bytes: new Uint8Array(await f.file.arrayBuffer()) });
      if (files.length === 0) return { ok: false, error: { message: 'No files were given: choose or drop at least one file.' } };
      const options: ImportOptions = { name: request.name?.trim() || undefined };
      if (request.format === 'trecis') options.trecis = { merge: request.trecisMerge };
      if (request.format === 'crisislex') {
        options.crisislex = { family: request.crisislexFamily, notApplicable: request.crisislexNotApplicable };
      }
      if (request.format === 'csv' || request.format === 'jsonl') {
        options.table = {
          ...(request.textColumn?.trim() ? { textColumn: request.textColumn.trim() } : {}),
          ...(request.labelsColumn?.trim() ? { labelsColumn: request.labelsColumn.trim() } : {}),
        };
      }
      const dataset = importDataset(request.format, files, options);
      if (dataset.docs.length === 0) {
        return { ok: false, error: { message: `${files.map((f) => f.name).join(', ')}: no documents were found; nothing was stored.` } };
      }
      const record: DatasetRecord = { id: importId(dataset.name), savedAt: new Date().toISOString(), dataset };
      await (await this.store()).datasets.put(record);
      this.cache.set(record.id, dataset);
      return { ok: true, dataset: summarize(record) };
    } catch (e) {
      return { ok: false, error: problemOf(e) };
    }
  }

  async delete(id: string): Promise<void> {
    await (await this.store()).datasets.delete(id);
    this.cache.delete(id);
  }

  /** Task counts, validation part and leakage of the split the experiment would make (data/split-overview.ts). */
  async overview(id: string, req: OverviewRequest): Promise<DatasetOverview> {
    const split = splitOverview(await this.get(id), req.split);
    const dataset = split.dataset;
    const selection = selectTasks(dataset, { minTrainPositives: req.minTrainPositives, minTestPositives: req.minTestPositives });
    const excluded = new Map(selection.excluded.map((e) => [e.task, e.reason]));
    return {
      dataset: await this.summary(id),
      trainDocs: split.trainDocs,
      validationDocs: split.validationDocs,
      testDocs: split.testDocs,
      leakage: split.leakage,
      ...(split.note !== undefined ? { splitNote: split.note } : {}),
      tasks: selection.counts.map((c) => ({
        task: c.task,
        trainPositives: c.train.positives,
        testPositives: c.test.positives,
        trainNegatives: c.train.negatives,
        testNegatives: c.test.negatives,
        kept: selection.kept.includes(c.task),
        ...(excluded.has(c.task) ? { reason: excluded.get(c.task) } : {}),
      })),
      cooccurrence: labelCooccurrence(dataset),
    };
  }

  /** Up to `n` documents positive for `task` (all documents when task is empty), in a seeded order. */
  async samples(id: string, task: string, n: number, seed: number): Promise<SampleDoc[]> {
    const ds = await this.get(id);
    const pool = task ? ds.docs.filter((d) => d.labels.includes(task)) : [...ds.docs];
    return shuffleInPlace(pool, createRng(seed)).slice(0, n).map((d: Doc) => ({
      id: d.id, text: d.text, labels: d.labels, ...(d.event ? { event: d.event } : {}), ...(d.split ? { split: d.split } : {}),
    }));
  }
}
