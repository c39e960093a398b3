import { describe, expect, it } from 'vitest';
import { readInputFiles } from '../../../src/lib/data/read-files.node.js';
import { FIXTURES } from './helpers';

describe('readInputFiles', () => {
  it('reads a folder recursively, in name order, naming files by their relative path', async () => {
    const files = await readInputFiles(FIXTURES + 'crisislex');
    expect(files.map((f) => f.name)).toEqual([
      '2012_Test_quake/2012_Test_quake-event_description.json',
      '2012_Test_quake/2012_Test_quake-tweets_labeled.csv',
      '2013_Test_floods/2013_Test_floods-tweets_labeled.csv',
    ]);
    expect(new TextDecoder().decode(files[1].bytes)).toMatch(/^Tweet ID, Tweet Text/);
  });

  it('reads a single file under its base name', async () => {
    const [f] = await readInputFiles(FIXTURES + 'table/onehot.csv');
    expect(f.name).toBe('onehot.csv');
    expect(f.bytes.length).toBeGreaterThan(0);
  });

  it('fails clearly for a path that does not exist', async () => {
    await expect(readInputFiles(FIXTURES + 'nope')).rejects.toThrow(/ENOENT.*nope/);
  });
});
