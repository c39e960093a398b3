/**
 * TREC Incident Streams importer. It accepts, in any mix (each file is recognised by its content):
 *
 * 1. Assessor files (TREC-IS 2018–2020 form):
 *    `{annotator:{…}, events:[{eventid, tweets:[{postID, categories:[…], text, priority, …}]}]}`.
 * 2. Flat label records (the TREC-IS 2020 style): a JSON array or JSON Lines of
 *    `{"postID": "…", "eventID": "…", "postCategories": ["Location", …]}`
 *    (`categories` and `eventid` are accepted as names too; an inline `text` is used when present).
 * 3. Text records for flat labels whose text is supplied separately: a JSON array or JSON Lines of
 *    `{"postID": "…", "text": "…"}` (`id`/`id_str` and `full_text` accepted, as in Twitter dumps),
 *    or a CSV with columns `postID` (or `id`) and `text`.
 * 4. Information-type lists (`{informationTypes:[{id:"Report-Location", …}]}`); see type-list.ts.
 * 5. `.topics` files (event descriptions): not needed, skipped with a note.
 *
 * A tweet may be judged several times (several assessors, or the same assessor under two events):
 * all judgements are merged by postID. The labels of the merged tweet follow `merge` (default
 * union: a tweet is positive when any assessor said so); the event and the text are those of the
 * first judgement.
 */
import { decodeText } from './decode';
import { ImportError, describeValue } from './errors';
import { parseCsv, columnIndex } from './csv';
import { isPlainObject, readJsonFile, type JsonRecords } from './json-records';
import { lineOfPath, formatPath } from './json-location';
import { isTypeListJson, mapLabels, parseTypeList, type TypeList } from './type-list';
import type { Dataset, Doc, InputFile } from './schema';
import { baseName, countList, plural } from './text-utils';
import type { LabelMerge } from './label-merges';

export type { LabelMerge };

export interface TrecisOptions {
  name?: string;
  /**
   * How several judgements of one tweet combine: `union` (any), `intersection` (all), `majority`
   * (more than half) or `last` (the last judgement in input order overrides the others, which is
   * what reading the files into a map keyed by postID does; the positive counts quoted for 2020-A in
   * the data README come from this rule with the assessor files in name order). Default: union.
   */
  merge?: LabelMerge;
  /**
   * Which type list defines the tasks: the name of one of the input files, or `none` to use the
   * raw labels as tasks. Default: a Task-2 list when one is given (the paper's 12 tasks), else the
   * only list given, else none.
   */
  typeList?: string;
}

interface Judgement {
  labels: string[];
  event?: string;
  text?: string;
}

interface Located {
  file: string;
  line?: number;
  record?: string;
}

const TWEET_ID = /^\d{1,25}$/;

class Collector {
  readonly byId = new Map<string, Judgement[]>();
  readonly texts = new Map<string, string>();
  judgements = 0;
  labelFiles = new Set<string>();

  add(id: string, j: Judgement): void {
    this.judgements++;
    const list = this.byId.get(id);
    if (list) list.push(j);
    else this.byId.set(id, [j]);
  }
}

/** `at` is a thunk: locating a record re-scans the file, so it is done only when reporting. */
type Where = () => Located;

function requirePostId(v: unknown, at: Where, field: string): string {
  if (typeof v === 'number') {
    throw new ImportError({ ...at(), field, problem: `expected the tweet id as a string, got the number ${v} (tweet ids are too long for JSON numbers and lose digits)` });
  }
  if (typeof v !== 'string' || !TWEET_ID.test(v.trim())) {
    throw new ImportError({ ...at(), field, problem: `expected a tweet id (a string of digits), got ${describeValue(v)}` });
  }
  return v.trim();
}

function requireLabels(v: unknown, at: Where, field: string): string[] {
  if (!Array.isArray(v)) throw new ImportError({ ...at(), field, problem: `expected an array of label names, got ${describeValue(v)}` });
  v.forEach((label, k) => {
    if (typeof label !== 'string' || label.trim() === '') {
      throw new ImportError({ ...at(), field: `${field}[${k}]`, problem: `expected a label name, got ${describeValue(label)}` });
    }
  });
  return (v as string[]).map((s) => s.trim());
}

function optionalString(v: unknown, at: Where, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ImportError({ ...at(), field, problem: `expected a string, got ${describeValue(v)}` });
  return v;
}

function readAssessorFile(file: string, text: string, value: Record<string, unknown>, out: Collector): void {
  const loc = (path: (string | number)[]): Located => ({ file, line: lineOfPath(text, path), record: formatPath(path) });
  const events = value.events;
  if (!Array.isArray(events)) {
    throw new ImportError({ file, line: lineOfPath(text, ['events']), field: 'events', problem: `expected an array of events, got ${describeValue(events)}` });
  }
  events.forEach((ev, e) => {
    if (!isPlainObject(ev)) throw new ImportError({ ...loc(['events', e]), problem: `expected an event object, got ${describeValue(ev)}` });
    const eventId = ev.eventid ?? ev.eventID;
    if (typeof eventId !== 'string' || eventId.trim() === '') {
      throw new ImportError({ ...loc(['events', e]), field: 'eventid', problem: `expected the event's name, got ${describeValue(eventId)}` });
    }
    if (!Array.isArray(ev.tweets)) {
      throw new ImportError({ ...loc(['events', e]), field: 'tweets', problem: `expected an array of tweets, got ${describeValue(ev.tweets)}` });
    }
    ev.tweets.forEach((tw: unknown, t: number) => {
      const path = ['events', e, 'tweets', t];
      if (!isPlainObject(tw)) throw new ImportError({ ...loc(path), problem: `expected a tweet object, got ${describeValue(tw)}` });
      const at = (): Located => loc(path);
      const id = requirePostId(tw.postID, at, 'postID');
      const labels = requireLabels(tw.categories, at, 'categories');
      const tweetText = optionalString(tw.text, at, 'text');
      if (tweetText === undefined) throw new ImportError({ ...at(), field: 'text', problem: 'the tweet has no text; assessor files carry each tweet\'s text' });
      out.add(id, { labels, event: eventId.trim(), text: tweetText });
    });
  });
  out.labelFiles.add(file);
}

function readFlatRecords(file: string, records: JsonRecords, out: Collector): 'labels' | 'texts' {
  const first = records.values.find(isPlainObject);
  const isLabels = first !== undefined && ('postCategories' in first || 'categories' in first);
  records.values.forEach((rec, i) => {
    const at = (): Located => ({ file, ...records.where(i) });
    if (!isPlainObject(rec)) throw new ImportError({ ...at(), problem: `expected a record object, got ${describeValue(rec)}` });
    if (isLabels) {
      const field = 'postCategories' in rec ? 'postCategories' : 'categories';
      if (!(field in rec)) throw new ImportError({ ...at(), field: 'postCategories', problem: 'this label record has no postCategories (the file\'s first record has them, so every record must)' });
      const id = requirePostId(rec.postID ?? rec.postId, at, 'postID');
      const labels = requireLabels(rec[field], at, field);
      const event = optionalString(rec.eventID ?? rec.eventid, at, 'eventID');
      const text = optionalString(rec.text, at, 'text');
      out.add(id, { labels, event: event?.trim() || undefined, text });
    } else {
      const idField = ['postID', 'id_str', 'id'].find((k) => k in rec) ?? 'postID';
      const id = requirePostId(rec[idField], at, idField);
      const textField = 'text' in rec ? 'text' : 'full_text';
      const text = rec[textField];
      if (typeof text !== 'string') throw new ImportError({ ...at(), field: 'text', problem: `expected the tweet's text, got ${describeValue(text)}` });
      if (!out.texts.has(id)) out.texts.set(id, text);
    }
  });
  if (isLabels) out.labelFiles.add(file);
  return isLabels ? 'labels' : 'texts';
}

function readTextCsv(file: string, text: string, out: Collector): void {
  const table = parseCsv(file, text);
  const idCol = ['postID', 'id', 'id_str', 'tweet id'].map((n) => columnIndex(table.header, n)).find((i) => i >= 0);
  const textCol = ['text', 'full_text', 'tweet text'].map((n) => columnIndex(table.header, n)).find((i) => i >= 0);
  if (idCol === undefined) throw new ImportError({ file, line: table.headerLine, problem: `a text file needs a "postID" (or "id") column; the header has ${table.header.map((h) => `"${h}"`).join(', ')}` });
  if (textCol === undefined) throw new ImportError({ file, line: table.headerLine, problem: `a text file needs a "text" column; the header has ${table.header.map((h) => `"${h}"`).join(', ')}` });
  for (const row of table.rows) {
    const id = requirePostId(row.cells[idCol], () => ({ file, line: row.line }), table.header[idCol]);
    if (!out.texts.has(id)) out.texts.set(id, row.cells[textCol]);
  }
}

function mergeLabels(js: Judgement[], rule: LabelMerge): string[] {
  if (rule === 'last') return [...new Set(js[js.length - 1].labels)];
  const counts = new Map<string, number>();
  for (const j of js) for (const l of new Set(j.labels)) counts.set(l, (counts.get(l) ?? 0) + 1);
  const keep = (n: number) => (rule === 'union' ? n >= 1 : rule === 'intersection' ? n === js.length : n * 2 > js.length);
  return [...counts].filter(([, n]) => keep(n)).map(([l]) => l);
}

const MERGE_WORDS: Record<LabelMerge, string> = {
  union: 'the union of all judgements (positive if any assessor gave the label)',
  intersection: 'the intersection of all judgements (positive only if every judgement gave the label)',
  majority: 'a majority vote (positive if more than half of the judgements gave the label)',
  last: 'the last judgement in file order (later files override earlier ones)',
};

function chooseTypeList(lists: TypeList[], wanted: string | undefined, notes: string[]): TypeList | undefined {
  if (wanted === 'none') {
    if (lists.length > 0) notes.push(`Ignored the type list${lists.length > 1 ? 's' : ''} ${lists.map((l) => l.file).join(', ')} (typeList "none"): the tasks are the raw labels.`);
    return undefined;
  }
  if (wanted !== undefined) {
    const hit = lists.find((l) => l.file === wanted || baseName(l.file) === wanted);
    if (!hit) {
      throw new ImportError({ file: wanted, problem: `the type list asked for is not among the input files (type lists given: ${lists.map((l) => l.file).join(', ') || 'none'})` });
    }
    return hit;
  }
  if (lists.length <= 1) return lists[0];
  const task2 = lists.filter((l) => /task[-_ ]?2/i.test(baseName(l.file)));
  if (task2.length === 1) {
    notes.push(`Several type lists were given; used the Task-2 list ${task2[0].file} and ignored ${lists.filter((l) => l !== task2[0]).map((l) => l.file).join(', ')}.`);
    return task2[0];
  }
  throw new ImportError({ file: lists.map((l) => l.file).join(', '), problem: `several type lists were given; choose one with the typeList option (or "none" for raw labels)` });
}

export function importTrecis(files: InputFile[], options: TrecisOptions = {}): Dataset {
  const merge = options.merge ?? 'union';
  if (!(merge in MERGE_WORDS)) throw new ImportError({ file: '(options)', field: 'merge', problem: `expected one of ${Object.keys(MERGE_WORDS).join(', ')}, got ${describeValue(merge)}` });
  const notes: string[] = [];
  const out = new Collector();
  const lists: TypeList[] = [];
  const skipped: string[] = [];
  const textFiles: string[] = [];

  for (const f of files) {
    if (/\.topics$/i.test(f.name) || /(^|\/)(readme(\.\w+)?|license)$/i.test(f.name)) { skipped.push(f.name); continue; }
    const decoded = decodeText(f.name, f.bytes);
    if (decoded.note) notes.push(decoded.note);
    if (/\.(csv|tsv)$/i.test(f.name)) { readTextCsv(f.name, decoded.text, out); textFiles.push(f.name); continue; }
    const json = readJsonFile(f.name, decoded.text);
    if (json.kind === 'value') {
      const v = json.value;
      if (isPlainObject(v) && 'events' in v) readAssessorFile(f.name, decoded.text, v, out);
      else if (isTypeListJson(v)) lists.push(parseTypeList(f.name, decoded.text, v));
      else if (isPlainObject(v) && ('postCategories' in v || 'text' in v)) {
        const kind = readFlatRecords(f.name, { values: [v], form: 'jsonl', where: () => ({ line: 1, record: '#1' }) }, out);
        if (kind === 'texts') textFiles.push(f.name);
      } else {
        throw new ImportError({
          file: f.name,
          problem: 'this is not a TREC-IS file: expected an assessor file ({"events": [...]}), an information-type list ({"informationTypes": [...]}), or label/text records',
        });
      }
    } else if (readFlatRecords(f.name, json.records, out) === 'texts') textFiles.push(f.name);
  }
  if (skipped.length) notes.push(`Skipped files that carry no tweets: ${skipped.join(', ')}.`);
  if (out.byId.size === 0) {
    throw new ImportError({ file: files.map((f) => f.name).join(', ') || '(no files)', problem: 'no labelled tweets found: expected assessor files or flat label records' });
  }

  const list = chooseTypeList(lists, options.typeList, notes);
  const docs: Doc[] = [];
  const unmatched = new Map<string, number>();
  let multiJudged = 0, disagreeing = 0, eventConflicts = 0, noText = 0, emptyText = 0;
  const noTextIds: string[] = [];
  for (const [id, js] of out.byId) {
    if (js.length > 1) {
      multiJudged++;
      const key = (j: Judgement) => [...new Set(j.labels)].sort().join('\u0000');
      if (js.some((j) => key(j) !== key(js[0]))) disagreeing++;
      if (js.some((j) => j.event !== js[0].event)) eventConflicts++;
    }
    const text = js.find((j) => j.text !== undefined)?.text ?? out.texts.get(id);
    if (text === undefined) { noText++; if (noTextIds.length < 5) noTextIds.push(id); continue; }
    if (text.trim() === '') { emptyText++; continue; }
    const raw = mergeLabels(js, merge);
    const labels = list ? mapLabels(raw, list, unmatched) : raw;
    const doc: Doc = { id, text, labels };
    const event = js.find((j) => j.event !== undefined)?.event;
    if (event !== undefined) doc.event = event;
    docs.push(doc);
  }
  if (docs.length === 0) {
    throw new ImportError({
      file: [...out.labelFiles].join(', '),
      problem: `none of the ${out.byId.size} labelled tweets has text; supply a text file of {"postID", "text"} records (or a CSV with postID,text)`,
    });
  }

  notes.push(
    `Merged ${plural(out.judgements, 'judgement')} from ${plural(out.labelFiles.size, 'file')} by postID into ${plural(out.byId.size, 'unique tweet')}; ` +
      `${plural(multiJudged, 'tweet was', 'tweets were')} judged more than once, ${disagreeing.toLocaleString('en-US')} of them with different labels; labels are ${MERGE_WORDS[merge]}.`,
  );
  if (eventConflicts) notes.push(`${plural(eventConflicts, 'tweet')} appear under more than one event; each keeps the event of its first judgement.`);
  if (textFiles.length) notes.push(`Took tweet text from ${textFiles.join(', ')}.`);
  if (noText) notes.push(`Left out ${plural(noText, 'labelled tweet')} with no text in any input (e.g. postID ${noTextIds.join(', ')}).`);
  if (emptyText) notes.push(`Left out ${plural(emptyText, 'tweet')} whose text is empty.`);

  let tasks: string[];
  if (list) {
    tasks = list.tasks;
    const what = list.hasCatchAll
      ? `the ${list.tasks.length - 1} information types of ${list.file} plus "Other" (any label outside them)`
      : `the ${list.tasks.length} information types of ${list.file}`;
    notes.push(`Tasks are ${what}.`);
    if (unmatched.size) {
      notes.push(`${list.hasCatchAll ? 'Mapped to Other' : 'Dropped (not in the list)'}: ${countList(unmatched)}.`);
    }
  } else {
    const freq = new Map<string, number>();
    for (const d of docs) for (const l of d.labels) freq.set(l, (freq.get(l) ?? 0) + 1);
    tasks = [...freq.keys()].sort();
    notes.push(`Tasks are the ${tasks.length} distinct labels found (no type list used).`);
  }

  return {
    name: options.name ?? defaultName(files, [...out.labelFiles]),
    source: { format: 'trecis', files: files.map((f) => f.name), notes },
    tasks,
    docs,
  };
}

/**
 * The data set's name when none is given: the folder, when the files come from one (a dropped
 * folder: every name starts with the same `folder/`); else what the names of the files holding the
 * labels have in common, cut at a separator so that no partial word dangles
 * (`TRECIS2020A-t12-assr1.json` … `TRECIS2020A-t12-assr5.json` → `TRECIS2020A-t12`). Not the first
 * file's name: that is often the type list (`TRECIS-2020-ITypes-Task1`), which says nothing about
 * the data.
 */
function defaultName(files: InputFile[], labelFiles: string[]): string {
  const firstSegments = new Set(files.map((f) => (/[/\\]/.test(f.name) ? f.name.split(/[/\\]/)[0] : '')));
  const [folder] = firstSegments;
  if (firstSegments.size === 1 && folder) return folder;
  const stems = labelFiles.map((n) => baseName(n).replace(/\.[^.]+$/, ''));
  if (stems.length === 0) return 'trecis';
  let prefix = stems.reduce((p, s) => {
    let i = 0;
    while (i < p.length && i < s.length && p[i] === s[i]) i++;
    return p.slice(0, i);
  });
  if (!stems.includes(prefix)) {
    const cut = prefix.search(/[-_. ][^-_. ]*$/);
    if (cut > 0) prefix = prefix.slice(0, cut);
  }
  return prefix.replace(/[-_. ]+$/, '') || stems[0];
}
