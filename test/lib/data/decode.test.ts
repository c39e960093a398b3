import { describe, expect, it } from 'vitest';
import { decodeLatin1, decodeText, firstInvalidUtf8 } from '../../../src/lib/data/decode';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('decodeText', () => {
  it('says "this is not a text file" for binary input, naming the file, instead of decoding it', () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00);
    expect(() => decodeText('photo.csv', png)).toThrow(/^photo\.csv: this is not a text file \(it is a PNG image\)/);
    expect(() => decodeText('book.csv', bytes(0x50, 0x4b, 0x03, 0x04, 0x14))).toThrow(/book\.csv: this is not a text file \(it is a ZIP archive/);
    expect(() => decodeText('x.csv', bytes(0x61, 0x62, 0x00, 0x63))).toThrow(/x\.csv: this is not a text file \(it contains NUL bytes \(first at byte 2\)\)/);
    const noise = new Uint8Array(400).map((_, i) => (i % 4 === 0 ? 1 + ((i * 7) % 8) : 0x61 + (i % 26)));
    expect(() => decodeText('noise.tsv', noise)).toThrow(/noise\.tsv: this is not a text file \(\d+ of its first 400 bytes are control characters\)/);
  });

  it('keeps text with tabs, CR/LF and a few stray control characters', () => {
    const t = new TextEncoder().encode('text\tlabels\r\nhello\x07 world\ta\r\n');
    expect(decodeText('ok.tsv', t).text).toContain('hello');
  });

  it('decodes valid UTF-8 without a note and drops a byte-order mark', () => {
    const d = decodeText('a.txt', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('café ☕')]));
    expect(d).toEqual({ text: 'café ☕', encoding: 'utf-8' });
  });

  it('falls back to Latin-1 for invalid UTF-8 and says where the first bad byte is', () => {
    // "a\nb<NBSP>c<e-acute>" in Latin-1: 0xA0 is not a valid UTF-8 start byte.
    const d = decodeText('tweets.json', bytes(0x61, 0x0a, 0x62, 0xa0, 0x63, 0xe9));
    expect(d.encoding).toBe('latin-1');
    expect(d.text).toBe('a\nb\u00a0c\u00e9');
    expect(d.note).toContain('tweets.json is not valid UTF-8');
    expect(d.note).toContain('0xA0 at line 2');
    expect(d.note).toContain('2 bytes above 0x7F');
  });

  it('maps 0x80–0x9F as Windows-1252 (curly quotes), as browsers do for "latin-1"', () => {
    expect(decodeLatin1(bytes(0x93, 0x68, 0x69, 0x94, 0x80))).toBe('\u201chi\u201d\u20ac');
  });

  it('decodes UTF-16 files marked by a byte-order mark', () => {
    expect(decodeText('w.csv', bytes(0xff, 0xfe, 0x68, 0x00, 0xe9, 0x00)).text).toBe('hé');
    expect(decodeText('w.csv', bytes(0xfe, 0xff, 0x00, 0x68, 0x00, 0xe9)).text).toBe('hé');
  });

  it('decodes long Latin-1 input across chunk boundaries', () => {
    const long = new Uint8Array(20000).fill(0x61);
    long[8191] = 0xe9;
    long[8192] = 0xe8;
    const d = decodeText('long.txt', long);
    expect(d.text.length).toBe(20000);
    expect(d.text.slice(8190, 8194)).toBe('aéèa');
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts multi-byte characters and rejects truncated, overlong and surrogate forms', () => {
    expect(firstInvalidUtf8(new TextEncoder().encode('ok é 中 😀'))).toBe(-1);
    expect(firstInvalidUtf8(bytes(0x61, 0xe4, 0xb8))).toBe(1); // truncated 3-byte sequence
    expect(firstInvalidUtf8(bytes(0xc0, 0x80))).toBe(0); // overlong NUL
    expect(firstInvalidUtf8(bytes(0xed, 0xa0, 0x80))).toBe(0); // UTF-16 surrogate
    expect(firstInvalidUtf8(bytes(0x61, 0x62, 0x80))).toBe(2); // lone continuation byte
  });
});
