import { describe, expect, it } from 'vitest';
import { formatPath, lineOfPath, parseJsonText } from '../../../src/lib/data/json-location';
import { ImportError } from '../../../src/lib/data/errors';

const text = `{
  "a": 1,
  "events": [
    {"eventid": "x", "tweets": [
      {"postID": "1"},
      {"postID": "2", "s": "a \\" ] } tricky"},
      {"postID": "3"}
    ]}
  ]
}`;

describe('lineOfPath', () => {
  it('finds the line where a nested record starts, past strings holding brackets and escaped quotes', () => {
    expect(lineOfPath(text, ['events', 0, 'tweets', 0])).toBe(5);
    expect(lineOfPath(text, ['events', 0, 'tweets', 2])).toBe(7);
    expect(lineOfPath(text, ['a'])).toBe(2);
  });

  it('returns undefined for a path that does not exist', () => {
    expect(lineOfPath(text, ['events', 0, 'tweets', 3])).toBeUndefined();
    expect(lineOfPath(text, ['nope'])).toBeUndefined();
  });

  it('formats paths as JavaScript accessors', () => {
    expect(formatPath(['events', 2, 'tweets', 14])).toBe('events[2].tweets[14]');
  });
});

describe('parseJsonText', () => {
  it('reports the line of a syntax error', () => {
    let err: unknown;
    try { parseJsonText('f.json', '{\n  "a": 1\n  "b": 2\n}'); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).line).toBe(3);
    expect((err as ImportError).message).toMatch(/^f\.json, line 3: this is not valid JSON/);
  });
});
