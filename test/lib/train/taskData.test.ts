import { describe, expect, it } from 'vitest';
import { labelsOf, parseTaskJsonl, splitDocs } from '../../../src/lib/train/taskData';

describe('task JSONL', () => {
  it('parses documents, skipping blank lines and keeping line numbers', () => {
    const docs = parseTaskJsonl('{"text":"a","labels":["X"]}\n\n{"text":"b","labels":[],"split":"test"}\n', 'd.jsonl');
    expect(docs).toEqual([
      { text: 'a', labels: ['X'], line: 1 },
      { text: 'b', labels: [], split: 'test', line: 3 },
    ]);
    expect(labelsOf(docs)).toEqual(['X']);
  });

  it('names the file and line of every kind of malformed record', () => {
    expect(() => parseTaskJsonl('{"text":"a","labels":["X"]}\n{oops', 'd.jsonl')).toThrow(/^d\.jsonl:2: not valid JSON/);
    expect(() => parseTaskJsonl('[1]', 'd.jsonl')).toThrow(/d\.jsonl:1: expected a JSON object/);
    expect(() => parseTaskJsonl('{"labels":[]}', 'd.jsonl')).toThrow(/d\.jsonl:1: field "text" must be a string/);
    expect(() => parseTaskJsonl('{"text":"a","labels":"X"}', 'd.jsonl')).toThrow(/field "labels" must be an array of strings/);
    expect(() => parseTaskJsonl('{"text":"a","labels":[],"split":"dev"}', 'd.jsonl')).toThrow(/field "split" must be "train" or "test", got "dev"/);
    expect(() => parseTaskJsonl('\n\n', 'd.jsonl')).toThrow(/d\.jsonl: no documents/);
  });

  it('splits documents without a split by seed, keeping explicit splits', () => {
    const text = Array.from({ length: 20 }, (_, i) => JSON.stringify({ text: `t${i}`, labels: [], ...(i < 2 ? { split: 'test' } : {}) })).join('\n');
    const docs = parseTaskJsonl(text, 'd.jsonl');
    const a = splitDocs(docs, 0.25, 1);
    const b = splitDocs(docs, 0.25, 1);
    const c = splitDocs(docs, 0.25, 2);
    expect(a.test.length).toBe(2 + 5);
    expect(a.train.length).toBe(13);
    expect(a.test.map((d) => d.line)).toEqual(b.test.map((d) => d.line));
    expect(a.test.map((d) => d.line)).not.toEqual(c.test.map((d) => d.line));
    expect(a.test.slice(0, 2).map((d) => d.line)).toEqual([1, 2]);
  });
});
