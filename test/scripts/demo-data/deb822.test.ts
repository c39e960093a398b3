import { describe, expect, it } from 'vitest';
import { parseDeb822, Deb822Error } from '../../../scripts/demo-data/deb822';

describe('parseDeb822', () => {
  it('splits stanzas on blank lines and joins continuation lines with their first space removed', () => {
    const text = [
      'Package: 0ad',
      'Description: Real-time strategy game',
      'Tag: game::strategy, interface::x11,',
      ' role::program, use::gameplaying',
      '',
      '',
      'Package: foo',
      'Description-en: Short',
      ' First line.',
      ' .',
      '   verbatim line',
      '',
    ].join('\n');
    const stanzas = [...parseDeb822(text, 'Packages')];
    expect(stanzas).toHaveLength(2);
    expect(stanzas[0].fields['Tag']).toBe('game::strategy, interface::x11,\nrole::program, use::gameplaying');
    expect(stanzas[0].line).toBe(1);
    expect(stanzas[1].line).toBe(7);
    expect(stanzas[1].fields['Description-en']).toBe('Short\nFirst line.\n.\n  verbatim line');
  });

  it('handles CRLF line ends and a last stanza without a trailing newline', () => {
    const stanzas = [...parseDeb822('Package: a\r\nVersion: 1\r\n\r\nPackage: b', 'x')];
    expect(stanzas.map((s) => s.fields['Package'])).toEqual(['a', 'b']);
    expect(stanzas[0].fields['Version']).toBe('1');
  });

  it('locates malformed input by file and line', () => {
    expect(() => [...parseDeb822('Package: a\n\n continued', 'Packages')]).toThrow(Deb822Error);
    expect(() => [...parseDeb822('Package: a\n\n continued', 'Packages')]).toThrow(/Packages:3: continuation line/);
    expect(() => [...parseDeb822('Package: a\nno colon here', 'P')]).toThrow(/P:2: expected "Field: value"/);
    expect(() => [...parseDeb822('Package: a\nPackage: b', 'P')]).toThrow(/P:2: field "Package" appears twice/);
  });
});
