/**
 * TREC-IS information-type lists (`TRECIS-2020-ITypes-Task1.json`, `...-Task2.json`) and the mapping
 * from assessors' labels to tasks.
 *
 * Labels in the assessor files use short names (`Location`), the lists use long ids
 * (`Report-Location`): we match on the part after the first `-`.
 *
 * The Task-2 list has a catch-all entry `Other-Any` ("belongs to any other category"). When a list
 * has one, its tasks are the entries outside the `Other` intent (11 for Task 2) plus one task
 * "Other" that is positive for any label not among them (so `Other-Advice`, listed in Task 2, ends up
 * in Other: the paper's 12 tasks are these). A list without a catch-all (Task 1) defines one task
 * per entry, and labels outside it are dropped with a note.
 */
import { ImportError, describeValue } from './errors';
import { isPlainObject } from './json-records';
import { lineOfPath } from './json-location';

export const OTHER_TASK = 'Other';

export interface TypeList {
  file: string;
  identifier?: string;
  /** Short names of the tasks, in list order; "Other" last when the list has a catch-all. */
  tasks: string[];
  /** True when labels outside the specific types map to "Other". */
  hasCatchAll: boolean;
}

export function shortTypeName(id: string): string {
  const dash = id.indexOf('-');
  return dash < 0 ? id : id.slice(dash + 1);
}

export function isTypeListJson(value: unknown): boolean {
  return isPlainObject(value) && 'informationTypes' in value;
}

export function parseTypeList(file: string, text: string, value: unknown): TypeList {
  if (!isPlainObject(value) || !Array.isArray(value.informationTypes)) {
    throw new ImportError({ file, field: 'informationTypes', problem: `expected an array of information types, got ${describeValue(isPlainObject(value) ? value.informationTypes : value)}` });
  }
  const entries = value.informationTypes as unknown[];
  const specific: string[] = [];
  let hasCatchAll = false;
  entries.forEach((entry, i) => {
    const id = isPlainObject(entry) ? entry.id : undefined;
    if (typeof id !== 'string' || !/^[^-\s]+-\S+$/.test(id)) {
      throw new ImportError({
        file,
        line: lineOfPath(text, ['informationTypes', i]),
        record: `informationTypes[${i}]`,
        field: 'id',
        problem: `expected a type id such as "Report-Location" (intent, dash, name), got ${describeValue(id)}`,
      });
    }
    const intent = id.slice(0, id.indexOf('-'));
    const name = shortTypeName(id);
    if (intent === 'Other' && name === 'Any') hasCatchAll = true;
    specific.push(id);
  });
  if (specific.length === 0) throw new ImportError({ file, field: 'informationTypes', problem: 'the list of information types is empty' });
  const tasks = hasCatchAll
    ? [...specific.filter((id) => !id.startsWith('Other-')).map(shortTypeName), OTHER_TASK]
    : specific.map(shortTypeName);
  const identifier = isPlainObject(value) && typeof value.identifier === 'string' ? value.identifier : undefined;
  return { file, identifier, tasks: [...new Set(tasks)], hasCatchAll };
}

/**
 * Maps one document's raw labels to task names. Long ids (`Report-Location`) are accepted too.
 * `unmatched` collects the raw labels that became "Other" or were dropped, for the import notes.
 */
export function mapLabels(raw: Iterable<string>, list: TypeList, unmatched: Map<string, number>): string[] {
  const known = new Set(list.tasks.filter((t) => !(list.hasCatchAll && t === OTHER_TASK)));
  const out = new Set<string>();
  for (const label of raw) {
    const name = known.has(label) ? label : shortTypeName(label);
    if (known.has(name)) out.add(name);
    else {
      unmatched.set(label, (unmatched.get(label) ?? 0) + 1);
      if (list.hasCatchAll) out.add(OTHER_TASK);
    }
  }
  return list.tasks.filter((t) => out.has(t));
}
