import { describe, expect, it } from 'vitest';
import { parseNumericCsv, selectColumns, splitTarget, TableError } from '../../../src/lib/gbdt/table';

const parse = (text: string) => parseNumericCsv(text, 'data.csv');

describe('parseNumericCsv', () => {
  it('reads numbers as float32, empty / NA / NaN cells as missing', () => {
    const t = parse('a,b,target\n1.5,,3\n-2e-3, NA ,0.1\nnan,4,5\n');
    expect(t.columns).toEqual(['a', 'b', 'target']);
    expect(t.rows).toBe(3);
    expect(Array.from(t.values)).toEqual([1.5, NaN, 3, Math.fround(-2e-3), NaN, Math.fround(0.1), NaN, 4, 5]);
  });

  it('non-numeric cell: names file, row, line and column', () => {
    expect(() => parse('a,b,target\n1,2,3\n4,abc,6\n')).toThrow('data.csv, row 2 (line 3), column "b": "abc" is not a number');
  });

  it('ragged rows: names the row and the column without a value', () => {
    expect(() => parse('a,b,target\n1,2,3\n4,5\n')).toThrow('data.csv, row 2 (line 3): has 2 fields, the header has 3 (no value for column "target")');
    expect(() => parse('a,b,target\n1,2,3,4\n')).toThrow('data.csv, row 1 (line 2), column "(extra field 4)": has 4 fields, the header has 3');
  });

  it('empty file, header only, bad header', () => {
    expect(() => parse('')).toThrow('data.csv: the file is empty');
    expect(() => parse('  \n\n')).toThrow(/the file is empty/);
    expect(() => parse('a,b\n')).toThrow('data.csv: no data rows after the header');
    expect(() => parse('a,,c\n1,2,3\n')).toThrow('data.csv: header: column 2 has no name');
    expect(() => parse('a,b,a\n1,2,3\n')).toThrow('column name "a" appears twice (columns 1 and 3)');
  });

  it('out-of-range numbers are errors, not infinities', () => {
    expect(() => parse('a\n1e39\n')).toThrow('data.csv, row 1 (line 2), column "a": 1e39 is outside the float32 range');
  });

  it('errors are TableErrors with the location as fields', () => {
    try {
      parse('a,b\n1,x\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TableError);
      expect(e).toMatchObject({ file: 'data.csv', row: 1, column: 'b' });
    }
  });
});

describe('splitTarget / selectColumns', () => {
  it('splits the target off, keeping the other columns in order', () => {
    const t = parse('x,target,y\n1,2,3\n4,5,6\n');
    const s = splitTarget(t, 'target', 'data.csv');
    expect(s.featureNames).toEqual(['x', 'y']);
    expect(Array.from(s.X)).toEqual([1, 3, 4, 6]);
    expect(Array.from(s.y)).toEqual([2, 5]);
    expect(Array.from(selectColumns(t, ['y', 'x'], 'data.csv'))).toEqual([3, 1, 6, 4]);
  });

  it('missing target column and missing target value are named', () => {
    const t = parse('x,y\n1,2\n');
    expect(() => splitTarget(t, 'target', 'data.csv')).toThrow('data.csv: target column "target" not found; columns: x, y');
    expect(() => splitTarget(parse('x,target\n1,2\n3,\n'), 'target', 'data.csv')).toThrow(
      'data.csv, row 2 (line 3), column "target": the target is missing',
    );
    expect(() => splitTarget(parse('x,target\n1,NaN\n'), 'target', 'data.csv')).toThrow(/row 1 \(line 2\), column "target"/);
    expect(() => selectColumns(t, ['z'], 'data.csv')).toThrow('data.csv: column "z" not found; columns: x, y');
  });
});
