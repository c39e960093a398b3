import { describe, expect, it } from 'vitest';
import { importTrecis } from '../../../src/lib/data/trecis';
import type { Dataset } from '../../../src/lib/data/schema';
import { fixtureFiles, importErrorOf, textFile } from './helpers';

const labelsOf = (ds: Dataset) => Object.fromEntries(ds.docs.map((d) => [d.id, d.labels]));
const assessorOnly = async () => (await fixtureFiles('trecis')).filter((f) => /^assr/.test(f.name));

describe('importTrecis: assessor files', () => {
  it('merges assessor files by postID with the union of labels, using raw labels without a type list', async () => {
    const ds = importTrecis(await assessorOnly());
    expect(ds.docs.map((d) => d.id).sort()).toEqual(['1001', '1002', '1003', '1004', '2001', '2002']);
    const labels = labelsOf(ds);
    expect(labels['1001'].sort()).toEqual(['EmergingThreats', 'Location', 'MultimediaShare']);
    expect(labels['2001'].sort()).toEqual(['EmergingThreats', 'News']);
    expect(labels['2002']).toEqual([]);
    expect(ds.tasks).toEqual(['EmergingThreats', 'Irrelevant', 'Location', 'MultimediaShare', 'News', 'Other-Advice', 'SearchAndRescue', 'Volunteer']);
    expect(ds.docs.find((d) => d.id === '1003')?.event).toBe('riverFlood2020');
    expect(ds.docs.find((d) => d.id === '2001')?.event).toBe('cityQuake2020');
    const merged = ds.source.notes.find((n) => n.startsWith('Merged'));
    expect(merged).toContain('Merged 8 judgements from 2 files by postID into 6 unique tweets');
    expect(merged).toContain('2 tweets were judged more than once, 2 of them with different labels');
    expect(merged).toContain('union');
  });

  it('decodes a Latin-1 assessor file and says so', async () => {
    const ds = importTrecis(await assessorOnly());
    expect(ds.docs.find((d) => d.id === '1004')?.text).toBe('Volunteers needed at the café on Main St,\u00a0bring boots');
    expect(ds.source.notes.some((n) => n.startsWith('assr2-latin1.json is not valid UTF-8') && n.includes('Latin-1'))).toBe(true);
  });

  it.each([
    ['last', ['EmergingThreats', 'Location'], ['News']],
    ['intersection', ['Location'], ['News']],
    ['majority', ['Location'], ['News']],
  ] as const)('merge rule %s combines judgements accordingly', async (merge, l1001, l2001) => {
    const labels = labelsOf(importTrecis(await assessorOnly(), { merge }));
    expect(labels['1001'].sort()).toEqual(l1001);
    expect(labels['2001'].sort()).toEqual(l2001);
    expect(labels['1003'].sort()).toEqual(['Location', 'SearchAndRescue']); // judged once: unchanged
  });
});

describe('importTrecis: the data set name', () => {
  const renamed = async (rename: (name: string) => string) =>
    (await fixtureFiles('trecis')).filter((f) => /^(assr|ITypes-Task2|events)/.test(f.name)).map((f) => ({ ...f, name: rename(f.name) }));

  it('is the folder the files were read from', async () => {
    expect(importTrecis(await renamed((n) => `trecis-2020a/${n}`)).name).toBe('trecis-2020a');
  });

  it('is else the common prefix of the assessor files, not the name of the type list that comes first', async () => {
    const files = await renamed((n) => n.replace(/^ITypes/, 'TRECIS-2020-ITypes').replace(/^events/, 'TRECIS-2020-A').replace(/^assr(\d)/, 'TRECIS2020A-t12-assr$1'));
    expect(files.map((f) => f.name)[0]).toBe('TRECIS-2020-ITypes-Task2.json');
    expect(importTrecis(files).name).toBe('TRECIS2020A-t12');
    expect(importTrecis(files.filter((f) => !/assr2/.test(f.name))).name).toBe('TRECIS2020A-t12-assr1');
    expect(importTrecis(files.map((f) => ({ ...f, name: f.name.replace('t12-assr2', 'other') }))).name).toBe('TRECIS2020A');
  });

  it('is options.name when given', async () => {
    expect(importTrecis(await renamed((n) => `trecis-2020a/${n}`), { name: 'my data' }).name).toBe('my data');
  });
});

describe('importTrecis: Task-2 type list', () => {
  it('defines the tasks as the listed types plus Other, and maps every other label to Other', async () => {
    const files = (await fixtureFiles('trecis')).filter((f) => f.name !== 'ITypes-Task1.json');
    const ds = importTrecis(files);
    expect(ds.tasks).toEqual(['SearchAndRescue', 'Volunteer', 'Location', 'EmergingThreats', 'Other']);
    const labels = labelsOf(ds);
    expect(labels['1001']).toEqual(['Location', 'EmergingThreats', 'Other']); // MultimediaShare → Other
    expect(labels['1002']).toEqual(['Other']); // Irrelevant
    expect(labels['1003']).toEqual(['SearchAndRescue', 'Location']); // nothing outside the list
    expect(labels['1004']).toEqual(['Volunteer', 'Other']); // Other-Advice is listed, but under Other
    expect(labels['2002']).toEqual([]); // no labels: negative everywhere, including Other
    expect(ds.source.notes.join('\n')).toMatch(/Mapped to Other: .*Irrelevant \(2\)/);
  });

  it('prefers the Task-2 list when several lists are given, and can be told to use another or none', async () => {
    const files = await fixtureFiles('trecis');
    expect(importTrecis(files).tasks).toContain('Other');
    expect(importTrecis(files).source.notes.some((n) => n.includes('used the Task-2 list ITypes-Task2.json and ignored ITypes-Task1.json'))).toBe(true);
    const t1 = importTrecis(files, { typeList: 'ITypes-Task1.json' });
    expect(t1.tasks).toEqual(['Location', 'EmergingThreats', 'News', 'Irrelevant']); // no catch-all: one task per entry
    expect(labelsOf(t1)['1004']).toEqual([]); // Volunteer and Other-Advice are not in this list: dropped
    expect(importTrecis(files, { typeList: 'none' }).tasks).toContain('MultimediaShare');
  });

  it('matches long type ids used as labels on the part after the first dash', () => {
    const list = textFile('t2.json', JSON.stringify({ informationTypes: [{ id: 'Report-Location' }, { id: 'Other-Any' }] }));
    const flat = textFile('l.jsonl', '{"postID":"1","postCategories":["Report-Location"],"text":"at the bridge"}\n{"postID":"2","postCategories":["Weather"],"text":"rain"}\n');
    const ds = importTrecis([list, flat]);
    expect(labelsOf(ds)).toEqual({ 1: ['Location'], 2: ['Other'] });
  });
});

describe('importTrecis: flat labels with separate text', () => {
  it('joins label records with text from JSON Lines and CSV text files by postID', async () => {
    const files = (await fixtureFiles('trecis')).filter((f) => /^(labels-flat|texts)/.test(f.name));
    const ds = importTrecis(files);
    const byId = Object.fromEntries(ds.docs.map((d) => [d.id, d]));
    expect(Object.keys(byId).sort()).toEqual(['3001', '3002', '3003']);
    expect(byId['3001'].labels.sort()).toEqual(['Location', 'Weather']);
    expect(byId['3001'].event).toBe('stormX2020');
    expect(byId['3002'].text).toBe('Evacuate the coast road now, shelters open at the school'); // id_str + full_text
    expect(byId['3003'].text).toBe('nothing to do with the storm, just lunch'); // from the CSV
  });

  it('leaves out labelled tweets without text, with a note', async () => {
    const files = (await fixtureFiles('trecis')).filter((f) => f.name === 'labels-flat.jsonl' || f.name === 'texts.jsonl');
    const ds = importTrecis(files);
    expect(ds.docs.map((d) => d.id).sort()).toEqual(['3001', '3002']);
    expect(ds.source.notes).toContain('Left out 1 labelled tweet with no text in any input (e.g. postID 3003).');
  });

  it('skips .topics files with a note', async () => {
    const ds = importTrecis(await fixtureFiles('trecis'));
    expect(ds.source.notes).toContain('Skipped files that carry no tweets: events.topics.');
    expect(ds.docs).toHaveLength(9);
  });
});
