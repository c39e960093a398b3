import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/lib/data/normalize-text';

describe('normalizeText', () => {
  it('lowercases and collapses every run of characters outside [0-9a-z] to one space, trimmed', () => {
    expect(normalizeText('  Flood  WARNING!!! Stay   safe... ')).toBe('flood warning stay safe');
    expect(normalizeText('a_b-c\td\ne')).toBe('a b c d e');
    expect(normalizeText('Route 66, exit 3')).toBe('route 66 exit 3');
  });

  it('removes http:// and https:// URLs up to the next whitespace, whatever their case', () => {
    expect(normalizeText('Help here https://t.co/AbC123?x=1 now')).toBe('help here now');
    expect(normalizeText('HTTP://EXAMPLE.COM/path,more text')).toBe('text');
    expect(normalizeText('see http://a.b/c')).toBe('see');
    // Only http(s): other schemes and bare domains are ordinary text.
    expect(normalizeText('ftp://a.b www.x.org')).toBe('ftp a b www x org');
  });

  it('removes @handles (letters, digits, underscore) but not a lone @', () => {
    expect(normalizeText('@Red_Cross2 thanks @fema!')).toBe('thanks');
    expect(normalizeText('meet @ noon')).toBe('meet noon');
    expect(normalizeText('mail me at a@b.org')).toBe('mail me at a org');
  });

  it('removes one leading rt, after handles and links are gone, but not rt inside or starting a word', () => {
    expect(normalizeText('RT @user: Bridge closed')).toBe('bridge closed');
    expect(normalizeText('"RT bridge closed')).toBe('bridge closed');
    expect(normalizeText('@a RT bridge closed')).toBe('bridge closed');
    expect(normalizeText('rt rt bridge')).toBe('rt bridge');
    expect(normalizeText('RTL news')).toBe('rtl news');
    expect(normalizeText('bridge closed rt')).toBe('bridge closed rt');
    expect(normalizeText('art rt')).toBe('art rt');
    expect(normalizeText('RT')).toBe('');
  });

  it('makes a retweet, a copy with another link and the original equal', () => {
    const original = 'Evacuation order for Zone A https://t.co/1';
    expect(normalizeText('RT @news: EVACUATION order for zone A!! https://t.co/2')).toBe(normalizeText(original));
  });

  it('turns letters outside a-z into spaces, so a text in another script can become empty', () => {
    expect(normalizeText('Café niño')).toBe('caf ni o');
    expect(normalizeText('زلزال')).toBe('');
    expect(normalizeText('')).toBe('');
  });
});
