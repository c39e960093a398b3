/**
 * Parser for Debian's deb822 control format (the `Packages` and `Translation-*` lists of an apt
 * repository): stanzas separated by blank lines, `Field: value` lines, and continuation lines that
 * start with a space or tab and extend the previous field (multi-line `Tag:` and `Description-en:`).
 */
export interface Stanza {
  /** Field name (as written) → value. Continuation lines are appended after "\n" with their single
   *  leading space/tab removed, so verbatim lines (two leading spaces) stay recognisable. */
  fields: Record<string, string>;
  /** 1-based line number of the stanza's first field, for error messages. */
  line: number;
}

export class Deb822Error extends Error {}

/** Yields the stanzas of a deb822 text one at a time (the Packages list is ~50 MB). */
export function* parseDeb822(text: string, source: string): Generator<Stanza> {
  let fields: Record<string, string> | null = null;
  let startLine = 0;
  let lastField: string | null = null;
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') {
      if (fields) yield { fields, line: startLine };
      fields = null;
      lastField = null;
      if (end === text.length) break;
      continue;
    }
    if (line.startsWith('#') && !fields) continue; // deb822 allows comment lines between fields
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!fields || lastField === null) {
        throw new Deb822Error(`${source}:${lineNo}: continuation line "${clip(line)}" does not follow a field`);
      }
      fields[lastField] += '\n' + line.slice(1);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new Deb822Error(`${source}:${lineNo}: expected "Field: value", got "${clip(line)}"`);
    }
    const name = line.slice(0, colon);
    if (/\s/.test(name)) {
      throw new Deb822Error(`${source}:${lineNo}: field name "${clip(name)}" contains whitespace`);
    }
    if (!fields) {
      fields = {};
      startLine = lineNo;
    }
    if (Object.prototype.hasOwnProperty.call(fields, name)) {
      throw new Deb822Error(`${source}:${lineNo}: field "${name}" appears twice in the stanza starting at line ${startLine}`);
    }
    fields[name] = line.slice(colon + 1).trim();
    lastField = name;
    if (end === text.length) break;
  }
  if (fields) yield { fields, line: startLine };
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}
