import { describe, expect, it } from 'vitest';
import { importTable } from '../../../src/lib/data/table';
import { fixtureFiles, textFile } from './helpers';

const one = async (name: string) => (await fixtureFiles('table')).filter((f) => f.name === name);

describe('importTable: CSV', () => {
  it('reads a ";"-separated labels column with id, event and split columns', async () => {
    const ds = importTable('csv', await one('semicolon.csv'));
    expect(ds.tasks).toEqual(['Infrastructure', 'Location', 'Request']);
    expect(ds.docs).toEqual([
      { id: 'a1', text: 'Bridge closed on the A6', labels: ['Location', 'Infrastructure'], event: 'flood', split: 'train' },
      { id: 'a2', text: 'Send water to the shelter', labels: ['Request'], event: 'flood' },
      { id: 'a3', text: 'lovely sunset tonight', labels: [], event: 'quake', split: 'test' },
      { id: 'a4', text: ' Two people trapped, Mill Lane ', labels: ['Request', 'Location'], event: 'quake' },
    ]);
  });

  it('reads "|"-separated labels and JSON-array labels (whose names may contain ";")', async () => {
    expect(importTable('csv', await one('pipes.csv')).docs[0].labels).toEqual(['Location', 'Infrastructure']);
    const json = importTable('csv', await one('json-labels.csv'));
    expect(json.docs.map((d) => d.labels)).toEqual([['Location', 'Infra;structure'], []]);
    expect(json.docs.map((d) => d.id)).toEqual(['2', '3']); // no id column: the line number
  });

  it('reads one 0/1 column per label, keeping the column order as task order', async () => {
    const ds = importTable('csv', await one('onehot.csv'));
    expect(ds.tasks).toEqual(['Location', 'Request', 'Weather']);
    expect(ds.docs.map((d) => d.labels)).toEqual([['Location'], ['Request'], ['Weather'], []]);
  });

  it('honours explicit column options and a tab delimiter', () => {
    const f = textFile('t.tsv', 'body\tkind\tnote\nhello there\tgreeting\tx\n');
    const ds = importTable('csv', [f], { textColumn: 'body', labelsColumn: 'kind', delimiter: '\t' });
    expect(ds.docs).toEqual([{ id: '2', text: 'hello there', labels: ['greeting'] }]);
  });

  it('takes the split from train.* / test.* file names and prefixes generated ids with the file name', async () => {
    const ds = importTable('csv', [...(await one('train.csv')), ...(await one('test.csv'))]);
    expect(ds.docs.map((d) => [d.id, d.split])).toEqual([['train.csv:2', 'train'], ['train.csv:3', 'train'], ['test.csv:2', 'test']]);
  });

  it('leaves out records with empty text, with a note', () => {
    const ds = importTable('csv', [textFile('e.csv', 'text,labels\n"",a\nfine,b\n')]);
    expect(ds.docs.map((d) => d.text)).toEqual(['fine']);
    expect(ds.source.notes).toContain('Left out 1 record with empty text.');
  });
});

describe('importTable: JSON Lines', () => {
  it('reads labels as arrays or strings, numeric ids and a case-insensitive split', async () => {
    const ds = importTable('jsonl', await one('docs.jsonl'));
    expect(ds.docs).toEqual([
      { id: 'j1', text: 'Bridge closed on the A6', labels: ['Location', 'Infrastructure'], event: 'flood', split: 'train' },
      { id: 'j2', text: 'Send water to the shelter', labels: ['Request'], event: 'flood' },
      { id: '3', text: 'lovely sunset tonight', labels: [], event: 'quake', split: 'test' },
    ]);
  });

  it('reads 0/1 and true/false label fields', async () => {
    const ds = importTable('jsonl', await one('onehot.jsonl'));
    expect(ds.tasks).toEqual(['Location', 'Request']);
    expect(ds.docs.map((d) => d.labels)).toEqual([['Location'], ['Request']]);
  });

  it('accepts a JSON array of records too', () => {
    const ds = importTable('jsonl', [textFile('a.json', '[{"text":"a","labels":["x"]},{"text":"b","labels":[]}]')]);
    expect(ds.docs.map((d) => d.labels)).toEqual([['x'], []]);
  });
});

describe('importTable: delimiter', () => {
  it('takes the delimiter from the header line, so ";" inside label cells does not mislead it', () => {
    const f = textFile('d.csv', 'text,labels\nflood;news,a;b\nquake;alert,c;d\n');
    expect(importTable('csv', [f]).docs.map((d) => [d.text, d.labels])).toEqual([['flood;news', ['a', 'b']], ['quake;alert', ['c', 'd']]]);
    const semi = textFile('s.csv', 'text;labels\nflood, news;a|b\n');
    expect(importTable('csv', [semi]).docs[0]).toMatchObject({ text: 'flood, news', labels: ['a', 'b'] });
  });
});
