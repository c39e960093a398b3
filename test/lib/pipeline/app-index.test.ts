import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bundledModelPath, type BundledModelEntry } from '../../../src/lib/pipeline/app-index';

describe('bundledModelPath', () => {
  const index = JSON.parse(readFileSync(new URL('../../../models/index.json', import.meta.url), 'utf8')) as BundledModelEntry[];

  it('takes the folder from models/index.json', () => {
    for (const m of index) expect(bundledModelPath(index, m.name)).toBe(m.path);
  });

  it('falls back to a folder named after the model when the index does not list it (or is missing)', () => {
    expect(bundledModelPath(index, 'not listed')).toBe('not%20listed/');
    expect(bundledModelPath([], 'fixture-tiny')).toBe('fixture-tiny/');
    expect(bundledModelPath([{ name: 'x', path: '' }], 'x')).toBe('x/');
  });
});
