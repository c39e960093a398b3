import { describe, expect, it } from 'vitest';
import { importCrisisLex } from '../../../src/lib/data/crisislex';
import { fixtureFiles, textFile } from './helpers';

describe('importCrisisLex', () => {
  it('reads a folder of events: trimmed header, event from the folder, one-vs-rest tasks of Information Type', async () => {
    const ds = importCrisisLex(await fixtureFiles('crisislex'));
    expect(ds.tasks).toEqual([
      'Affected individuals', 'Caution and advice', 'Donations and volunteering',
      'Infrastructure and utilities', 'Other Useful Information', 'Sympathy and support',
    ]);
    const byId = Object.fromEntries(ds.docs.map((d) => [d.id, d]));
    expect(byId['501']).toEqual({ id: '501', text: 'Water rising fast on Elm street, cars floating', labels: ['Infrastructure and utilities'], event: '2013_Test_floods' });
    expect(byId['602'].event).toBe('2012_Test_quake');
    expect(byId['508'].text).toBe('Power lines down on Oak Ave,\nstay clear'); // quoted field over two lines
    expect(byId['507'].labels).toEqual(['Caution and advice']); // the row after it is read correctly
  });

  it('treats "Not labeled" as missing (left out) and "Not applicable" as a negative by default', async () => {
    const ds = importCrisisLex(await fixtureFiles('crisislex'));
    const ids = ds.docs.map((d) => d.id);
    expect(ids).not.toContain('504');
    expect(ds.docs.find((d) => d.id === '506')?.labels).toEqual([]);
    expect(ds.source.notes).toContain('Left out 1 tweet whose "Information Type" is "Not labeled" (missing, not negative).');
    expect(importCrisisLex(await fixtureFiles('crisislex'), { notApplicable: 'drop' }).docs.map((d) => d.id)).not.toContain('506');
    const asTask = importCrisisLex(await fixtureFiles('crisislex'), { notApplicable: 'task' });
    expect(asTask.tasks).toContain('Not applicable');
    expect(asTask.docs.find((d) => d.id === '506')?.labels).toEqual(['Not applicable']);
  });

  it('keeps the first occurrence of a tweet id that appears in two events, with a note', async () => {
    const ds = importCrisisLex(await fixtureFiles('crisislex'));
    const dup = ds.docs.filter((d) => d.id === '505');
    expect(dup).toHaveLength(1);
    // Folders are read in name order, so 2012_Test_quake comes first and its labels win.
    expect(dup[0].event).toBe('2012_Test_quake');
    expect(dup[0].labels).toEqual(['Caution and advice']);
    expect(ds.source.notes.some((n) => n.startsWith('1 tweet id appeared again'))).toBe(true);
  });

  it('forms tasks from another family on request; "Not labeled" there is judged per family', async () => {
    const ds = importCrisisLex(await fixtureFiles('crisislex'), { family: 'Informativeness' });
    expect(ds.tasks).toEqual(['Not related', 'Related - but not informative', 'Related and informative']);
    expect(ds.docs.map((d) => d.id)).toContain('504'); // labelled for Informativeness
  });

  it('takes the event from a bare file name', () => {
    const f = textFile('2013_Alpha_fire-tweets_labeled.csv', 'Tweet ID, Tweet Text, Information Source, Information Type, Informativeness\n"1","smoke over the hills",Eyewitness,Affected individuals,Related and informative\n');
    expect(importCrisisLex([f]).docs[0].event).toBe('2013_Alpha_fire');
  });
});
