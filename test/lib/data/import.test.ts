import { describe, expect, it } from 'vitest';
import { importDataset, type ImportOptions } from '../../../src/lib/data/import';
import { validateDataset } from '../../../src/lib/data/validate';
import { readFileSync } from 'node:fs';
import type { ImportFormat, InputFile } from '../../../src/lib/data/schema';
import { fixtureFiles, importErrorOf, textFile } from './helpers';

const CRISISLEX_HEADER = 'Tweet ID, Tweet Text, Information Source, Information Type, Informativeness\n';

const assessor = (tweets: string, eventExtra = '"eventid": "ev1", ') =>
  `{"annotator": {"id": "x"},\n"events": [\n{${eventExtra}"tweets": [\n${tweets}\n]}\n]}\n`;
const tweet = (body: string) => `{\n  ${body}\n}`;
const goodTweet = tweet('"postID": "11", "categories": ["Location"], "text": "at the bridge"');

interface Case {
  name: string;
  format: ImportFormat;
  files: InputFile[];
  options?: ImportOptions;
  file: string;
  line?: number;
  record?: string;
  field?: string;
  says: RegExp;
}

// Every malformed input must name the file and, where there is one, the line, record and field.
const CASES: Case[] = [
  {
    name: 'TREC-IS categories given as a string',
    format: 'trecis',
    files: [textFile('a1.json', assessor(`${goodTweet},\n${tweet('"postID": "12",\n  "categories": "Location", "text": "x"')}`))],
    file: 'a1.json', line: 7, record: 'events[0].tweets[1]', field: 'categories', says: /expected an array of label names, got the string "Location"/,
  },
  {
    name: 'TREC-IS postID as a JSON number',
    format: 'trecis',
    files: [textFile('a2.json', assessor(tweet('"postID": 1155671863911051265, "categories": [], "text": "x"')))],
    file: 'a2.json', line: 4, record: 'events[0].tweets[0]', field: 'postID', says: /as a string, got the number .*lose digits/,
  },
  {
    name: 'TREC-IS assessor file that is not valid JSON',
    format: 'trecis',
    files: [textFile('a3.json', assessor(`${goodTweet}\n${goodTweet}`))],
    file: 'a3.json', line: 7, says: /not valid JSON \(Expected ',' or '\]' after array element at column 1\)/,
  },
  {
    name: 'TREC-IS event without an eventid',
    format: 'trecis',
    files: [textFile('a4.json', assessor(goodTweet, ''))],
    file: 'a4.json', line: 3, record: 'events[0]', field: 'eventid', says: /expected the event's name, got nothing/,
  },
  {
    name: 'TREC-IS tweet without text',
    format: 'trecis',
    files: [textFile('a5.json', assessor(`${goodTweet},\n${goodTweet.replace('"11"', '"13"')},\n${tweet('"postID": "14", "categories": []')}`))],
    file: 'a5.json', line: 10, record: 'events[0].tweets[2]', field: 'text', says: /has no text/,
  },
  {
    name: 'TREC-IS category list holding a number',
    format: 'trecis',
    files: [textFile('a6.json', assessor(tweet('"postID": "15", "categories": ["Location", 7], "text": "x"')))],
    file: 'a6.json', line: 4, record: 'events[0].tweets[0]', field: 'categories[1]', says: /expected a label name, got the number 7/,
  },
  {
    name: 'a JSON file that is not TREC-IS at all',
    format: 'trecis',
    files: [textFile('other.json', '{\n  "rows": []\n}\n')],
    file: 'other.json', says: /not a TREC-IS file/,
  },
  {
    name: 'a type list entry whose id has no intent prefix',
    format: 'trecis',
    files: [textFile('types.json', '{"informationTypes": [\n {"id": "Report-Location"},\n {"id": "Location"}\n]}'), textFile('a.json', assessor(goodTweet))],
    file: 'types.json', line: 3, record: 'informationTypes[1]', field: 'id', says: /expected a type id such as "Report-Location"/,
  },
  {
    name: 'flat label records with a broken line',
    format: 'trecis',
    files: [textFile('labels.jsonl', '{"postID": "1", "postCategories": ["Location"]}\n\n{"postID": "2", "postCategories": ["Location"]\n')],
    file: 'labels.jsonl', line: 3, says: /not valid JSON/,
  },
  {
    name: 'flat label record missing its categories',
    format: 'trecis',
    files: [textFile('labels.jsonl', '{"postID": "1", "postCategories": ["Location"], "text": "a"}\n{"postID": "2", "text": "b"}\n')],
    file: 'labels.jsonl', line: 2, record: '#2', field: 'postCategories', says: /has no postCategories/,
  },
  {
    name: 'a text CSV without a text column',
    format: 'trecis',
    files: [textFile('labels.jsonl', '{"postID": "1", "postCategories": ["Location"]}\n{"postID": "2", "postCategories": []}\n'), textFile('texts.csv', 'postID,body\n1,hello\n')],
    file: 'texts.csv', line: 1, says: /needs a "text" column; the header has "postID", "body"/,
  },
  {
    name: 'a type list option naming a file that was not given',
    format: 'trecis',
    files: [textFile('a.json', assessor(goodTweet))],
    options: { trecis: { typeList: 'Task9.json' } },
    file: 'Task9.json', says: /type list asked for is not among the input files/,
  },
  {
    name: 'CrisisLex file without the chosen label family',
    format: 'crisislex',
    files: [textFile('ev/ev-tweets_labeled.csv', 'Tweet ID, Tweet Text, Information Type\n"1","a",Affected individuals\n')],
    options: { crisislex: { family: 'Information Source' } },
    file: 'ev/ev-tweets_labeled.csv', line: 1, field: 'Information Source', says: /no "Information Source" column/,
  },
  {
    name: 'CrisisLex row with an unquoted comma in the text',
    format: 'crisislex',
    files: [textFile('ev/ev-tweets_labeled.csv', CRISISLEX_HEADER + '"1","fine",Media,Affected individuals,Related and informative\n"2",roads closed, bridges out,Media,Affected individuals,Related and informative\n')],
    file: 'ev/ev-tweets_labeled.csv', line: 3, says: /expected 5 fields as in the header, got 6/,
  },
  {
    name: 'CrisisLex quoted text never closed',
    format: 'crisislex',
    files: [textFile('ev/ev-tweets_labeled.csv', CRISISLEX_HEADER + '"1","fine",Media,Affected individuals,Related and informative\n"2","never closed,Media,Affected individuals,Related and informative\n')],
    file: 'ev/ev-tweets_labeled.csv', line: 3, says: /quoted field is never closed/,
  },
  {
    name: 'CrisisLex empty label',
    format: 'crisislex',
    files: [textFile('ev/ev-tweets_labeled.csv', CRISISLEX_HEADER + '"1","fine",Media,,Related and informative\n')],
    file: 'ev/ev-tweets_labeled.csv', line: 2, field: 'Information Type', says: /label is empty; expected a value or "Not labeled"/,
  },
  {
    name: 'CSV one-hot column holding "yes"',
    format: 'csv',
    files: [textFile('d.csv', 'text,Location,Request\na,1,0\nb,yes,0\n')],
    file: 'd.csv', line: 3, field: 'Location', says: /expected 0 or 1 .*since there is no "labels" column.*got the string "yes"/,
  },
  {
    name: 'CSV with a metadata column read as a label column',
    format: 'csv',
    files: [textFile('d.csv', 'text,date\na,2020-01-01\n')],
    file: 'd.csv', line: 2, field: 'date', says: /expected 0 or 1/,
  },
  {
    name: 'CSV duplicate id',
    format: 'csv',
    files: [textFile('d.csv', 'id,text,labels\nx,a,l\ny,b,l\nx,c,l\n')],
    file: 'd.csv', line: 4, field: 'id', says: /the id "x" is used twice \(first at d\.csv line 2\)/,
  },
  {
    name: 'CSV split value other than train/test',
    format: 'csv',
    files: [textFile('d.csv', 'text,labels,split\na,l,train\nb,l,dev\n')],
    file: 'd.csv', line: 3, field: 'split', says: /expected "train" or "test" \(or empty\), got the string "dev"/,
  },
  {
    name: 'CSV without a text column',
    format: 'csv',
    files: [textFile('d.csv', 'tweet,labels\na,l\n')],
    file: 'd.csv', line: 1, field: 'text', says: /no "text" column \(found "tweet", "labels"\); set textColumn/,
  },
  {
    name: 'CSV labels cell that starts a JSON array but is broken',
    format: 'csv',
    files: [textFile('d.csv', 'text,labels\na,"[""x"""\n')],
    file: 'd.csv', line: 2, field: 'labels', says: /starts like a JSON array but is not valid JSON/,
  },
  {
    name: 'CSV labels mixing ";" and "|"',
    format: 'csv',
    files: [textFile('d.csv', 'text,labels\na,x;y\nb,z\nc,x|z\n')],
    file: 'd.csv', line: 4, field: 'labels', says: /separated by ";" on line 2 and by "\|" on line 4/,
  },
  {
    name: 'CSV header naming a column twice',
    format: 'csv',
    files: [textFile('d.csv', 'text,labels, Text\na,x,b\n')],
    file: 'd.csv', line: 1, field: 'Text', says: /names column "Text" twice \(columns 1 and 3\)/,
  },
  {
    name: 'an empty CSV file',
    format: 'csv',
    files: [textFile('empty.csv', '')],
    file: 'empty.csv', says: /the file is empty/,
  },
  {
    name: 'JSON Lines record that is not an object',
    format: 'jsonl',
    files: [textFile('d.jsonl', '{"text": "a", "labels": []}\n["b"]\n')],
    file: 'd.jsonl', line: 2, record: '#2', says: /expected a JSON object per line, got an array \(1 item\)/,
  },
  {
    name: 'JSON Lines labels array holding a number',
    format: 'jsonl',
    files: [textFile('d.jsonl', '{"text": "a", "labels": ["x"]}\n{"text": "b", "labels": ["x", 3]}\n')],
    file: 'd.jsonl', line: 2, field: 'labels[1]', says: /expected a label name, got the number 3/,
  },
  {
    name: 'JSON Lines text that is a number',
    format: 'jsonl',
    files: [textFile('d.jsonl', '{"text": "a", "labels": []}\n\n{"text": 42, "labels": []}\n')],
    file: 'd.jsonl', line: 3, field: 'text', says: /expected the text as a string, got the number 42/,
  },
  {
    name: 'JSON Lines record without its labels field where the field is required',
    format: 'jsonl',
    files: [textFile('d.jsonl', '{"text": "a", "labels": ["x"]}\n{"text": "b"}\n')],
    options: { table: { labelsColumn: 'labels', requireLabelsField: true } },
    file: 'd.jsonl', line: 2, record: '#2', field: 'labels', says: /expected an array of label names \(an empty array for none\), got nothing/,
  },
  {
    name: 'JSON Lines one-hot field missing in a record',
    format: 'jsonl',
    files: [textFile('d.jsonl', '{"text": "a", "Location": 1}\n{"text": "b", "Request": 1}\n')],
    file: 'd.jsonl', line: 1, field: 'Request', says: /label field is missing; expected 0 or 1/,
  },
];

describe('importDataset: malformed inputs give located errors', () => {
  it('covers at least 15 malformed inputs', () => expect(CASES.length).toBeGreaterThanOrEqual(15));

  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const err = importErrorOf(() => importDataset(c.format, c.files, c.options));
    expect(err.file).toBe(c.file);
    expect(err.line).toBe(c.line);
    if (c.record !== undefined) expect(err.record).toBe(c.record);
    expect(err.field).toBe(c.field);
    expect(err.message).toMatch(c.says);
    // One sentence: location first, then the problem, ending with a full stop.
    expect(err.message.startsWith(`${c.file}${c.line !== undefined ? `, line ${c.line}` : ''}`)).toBe(true);
    expect(err.message.endsWith('.')).toBe(true);
  });
});

describe('importDataset', () => {
  it('dispatches on the format and returns a valid data set', async () => {
    const ds = importDataset('crisislex', await fixtureFiles('crisislex'), { name: 'test floods' });
    expect(ds.name).toBe('test floods');
    expect(ds.source.format).toBe('crisislex');
    expect(validateDataset(JSON.parse(JSON.stringify(ds)))).toEqual(ds);
  });

  it('rejects an unknown format', () => {
    expect(importErrorOf(() => importDataset('xml' as ImportFormat, [])).message).toMatch(/unknown format "xml"/);
  });
});

describe('validateDataset', () => {
  const ds = { name: 'n', source: { format: 'csv', files: [], notes: [] }, tasks: ['a'], docs: [{ id: '1', text: 't', labels: ['a'] }] };

  it('accepts a well-formed data set', () => expect(validateDataset(ds)).toBe(ds));

  it('accepts the bundled demo snapshot as it is (format "debtags"), and no unknown format', () => {
    const demo = JSON.parse(readFileSync(new URL('../../../datasets/debtags/debtags.json', import.meta.url), 'utf8')) as { source: { format: string } };
    expect(demo.source.format).toBe('debtags');
    expect(validateDataset(demo)).toBe(demo);
    const err = importErrorOf(() => validateDataset({ ...ds, source: { ...ds.source, format: 'xml' } }, 'saved.json'));
    expect([err.file, err.field]).toEqual(['saved.json', 'source.format']);
    expect(err.message).toMatch(/expected one of trecis, crisislex, csv, jsonl, debtags, got the string "xml"/);
  });

  it.each([
    ['a label that is not a task', { ...ds, docs: [{ id: '1', text: 't', labels: ['b'] }] }, 'docs[0]', 'labels', /the string "b" is not one of the data set's tasks/],
    ['a repeated id', { ...ds, docs: [ds.docs[0], { ...ds.docs[0] }] }, 'docs[1]', 'id', /used by an earlier document/],
    ['a bad split', { ...ds, docs: [{ ...ds.docs[0], split: 'dev' }] }, 'docs[0]', 'split', /expected "train" or "test"/],
  ])('rejects %s', (_n, value, record, field, says) => {
    const err = importErrorOf(() => validateDataset(value, 'saved.json'));
    expect([err.file, err.record, err.field]).toEqual(['saved.json', record, field]);
    expect(err.message).toMatch(says);
  });
});
