/**
 * Bytes → text for every importer. Real crisis data is not always UTF-8: the TREC-IS 2020-A assessor
 * files are Latin-1 (a non-breaking space is the single byte 0xA0, which is invalid UTF-8). We try
 * strict UTF-8 first and fall back to Latin-1 for the whole file, saying so in a note, because
 * silently replacing bytes with U+FFFD would corrupt tweets without anyone noticing.
 */

import { ImportError } from './errors';

export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin-1';
  /** Set when the importer made a choice the user should know about. */
  note?: string;
}

// Windows-1252 is what browsers (WHATWG Encoding) actually use for the label "latin-1": it differs
// from ISO-8859-1 only in 0x80–0x9F, where ISO-8859-1 has invisible C1 controls that never occur
// in real text, while Windows files put curly quotes and dashes there.
const CP1252_80_9F = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

export function decodeLatin1(bytes: Uint8Array): string {
  const CHUNK = 8192;
  const parts: string[] = [];
  const codes = new Uint16Array(Math.min(CHUNK, bytes.length));
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      codes[i - start] = b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : b;
    }
    parts.push(String.fromCharCode(...codes.subarray(0, end - start)));
  }
  return parts.join('');
}

/** Byte offset → 1-based line number (counting LF bytes before it). */
function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that makes the input invalid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) { i++; continue; }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Signatures of the binary files people drop by mistake, and what to do instead. */
const BINARY_SIGNATURES: { bytes: number[]; kind: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a ZIP archive (an .xlsx/.docx/.zip file)' },
  { bytes: [0x1f, 0x8b], kind: 'gzip-compressed' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], kind: 'an old Office document (.xls/.doc)' },
];

/** Bytes looked at to tell a binary file: text files are recognisable from their start. */
const SNIFF_BYTES = 8192;

/**
 * Why the bytes are not text, or null. Without a UTF-16 byte-order mark, a text file has no NUL
 * byte and few control characters; a binary file's bytes would otherwise reach the CSV parser and
 * come back as a baffling quoting error.
 */
export function binaryReason(bytes: Uint8Array): string | null {
  for (const sig of BINARY_SIGNATURES) if (sig.bytes.every((b, i) => bytes[i] === b)) return `it is ${sig.kind}`;
  const head = bytes.subarray(0, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i];
    if (b === 0) return `it contains NUL bytes (first at byte ${i})`;
    // Tab, LF, VT, FF, CR and ESC occur in text; other C0 controls do not.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) controls++;
  }
  return head.length > 0 && controls / head.length > 0.05 ? `${controls} of its first ${head.length} bytes are control characters` : null;
}

export function decodeText(fileName: string, bytes: Uint8Array): DecodedText {
  const hasUtf16Bom = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  const binary = hasUtf16Bom ? null : binaryReason(bytes);
  if (binary) {
    throw new ImportError({
      file: fileName,
      problem: `this is not a text file (${binary}); export the data as CSV, TSV, JSON or JSON Lines text and import that`,
    });
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le', note: `${fileName} is UTF-16 (little-endian, from its byte-order mark).` };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be', note: `${fileName} is UTF-16 (big-endian, from its byte-order mark).` };
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad < 0) return { text: new TextDecoder('utf-8').decode(body), encoding: 'utf-8' };
  let high = 0;
  for (let i = 0; i < body.length; i++) if (body[i] >= 0x80) high++;
  return {
    text: decodeLatin1(body),
    encoding: 'latin-1',
    note:
      `${fileName} is not valid UTF-8 (first invalid byte 0x${body[bad].toString(16).toUpperCase().padStart(2, '0')} ` +
      `at line ${lineAtByte(body, bad)}), so the whole file was decoded as Latin-1 (Windows-1252); ` +
      `${high} byte${high === 1 ? '' : 's'} above 0x7F became accented letters or symbols.`,
  };
}
