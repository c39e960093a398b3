/**
 * Checks that a value is a well-formed Dataset (the JSON form the store and exports use), with the
 * invariants the rest of the pipeline relies on: unique document ids, every label a listed task,
 * split only `train` or `test`. Importers end with it too, as a guard against their own bugs.
 */
import { ImportError, describeValue } from './errors';
import { isPlainObject } from './json-records';
import type { Dataset, DatasetFormat, Doc } from './schema';

const FORMATS: DatasetFormat[] = ['trecis', 'crisislex', 'csv', 'jsonl', 'debtags'];

export function validateDataset(value: unknown, file = 'dataset.json'): Dataset {
  const fail = (problem: string, record?: string, field?: string): never => {
    throw new ImportError({ file, record, field, problem });
  };
  if (!isPlainObject(value)) return fail(`expected a data set object, got ${describeValue(value)}`);
  const { name, source, tasks, docs } = value;
  if (typeof name !== 'string' || name.trim() === '') fail(`expected a name, got ${describeValue(name)}`, undefined, 'name');
  if (!isPlainObject(source)) return fail(`expected {format, files, notes}, got ${describeValue(source)}`, undefined, 'source');
  if (!FORMATS.includes(source.format as DatasetFormat)) fail(`expected one of ${FORMATS.join(', ')}, got ${describeValue(source.format)}`, undefined, 'source.format');
  for (const key of ['files', 'notes'] as const) {
    const list = source[key];
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) fail(`expected an array of strings, got ${describeValue(list)}`, undefined, `source.${key}`);
  }
  if (!Array.isArray(tasks) || tasks.some((t) => typeof t !== 'string' || t === '')) return fail(`expected an array of task names, got ${describeValue(tasks)}`, undefined, 'tasks');
  const taskSet = new Set(tasks as string[]);
  if (taskSet.size !== tasks.length) fail('a task is listed twice', undefined, 'tasks');
  if (!Array.isArray(docs)) return fail(`expected an array of documents, got ${describeValue(docs)}`, undefined, 'docs');
  const ids = new Set<string>();
  docs.forEach((d: unknown, i: number) => {
    const rec = `docs[${i}]`;
    if (!isPlainObject(d)) return fail(`expected a document object, got ${describeValue(d)}`, rec);
    if (typeof d.id !== 'string' || d.id === '') fail(`expected a non-empty id, got ${describeValue(d.id)}`, rec, 'id');
    if (ids.has(d.id as string)) fail(`the id "${String(d.id)}" is used by an earlier document`, rec, 'id');
    ids.add(d.id as string);
    if (typeof d.text !== 'string') fail(`expected the text, got ${describeValue(d.text)}`, rec, 'text');
    if (!Array.isArray(d.labels)) return fail(`expected an array of task names, got ${describeValue(d.labels)}`, rec, 'labels');
    for (const l of d.labels) if (typeof l !== 'string' || !taskSet.has(l)) fail(`${describeValue(l)} is not one of the data set's tasks`, rec, 'labels');
    if (d.event !== undefined && typeof d.event !== 'string') fail(`expected a string, got ${describeValue(d.event)}`, rec, 'event');
    if (d.split !== undefined && d.split !== 'train' && d.split !== 'test') fail(`expected "train" or "test", got ${describeValue(d.split)}`, rec, 'split');
  });
  return value as unknown as Dataset & { docs: Doc[] };
}
