import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/lib/transfer/baselines/tokenize';

describe('tokenize', () => {
  it('lower-cases and keeps runs of letters and digits', () => {
    expect(tokenize("Don't PANIC: #Flood2020!")).toEqual(['don', 't', 'panic', 'flood2020']);
    expect(tokenize('http://t.co/x1 @user_9')).toEqual(['http', 't', 'co', 'x1', 'user', '9']);
    expect(tokenize('Évacuation à Zürich')).toEqual(['évacuation', 'à', 'zürich']);
    expect(tokenize('  ...  ')).toEqual([]);
  });

  it('keeps a decomposed accented letter inside its word (NFC first)', () => {
    expect(tokenize('Cafe\u0301 open')).toEqual(['café', 'open']);
  });
});
