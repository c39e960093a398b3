/**
 * Line numbers for JSON input. `JSON.parse` keeps no positions, so when a record turns out to be bad
 * we re-scan the text to find where that record starts. This runs only on the error path, so it can
 * afford to be a plain character scanner.
 */
import { ImportError } from './errors';

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Renders a JSON path as `events[2].tweets[14]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out;
}

function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}

function skipString(s: string, i: number): number {
  i++;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return i;
}

function skipValue(s: string, i: number): number {
  i = skipWs(s, i);
  const c = s[i];
  if (c === '"') return skipString(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    while (i < s.length) {
      const ch = s[i];
      if (ch === '"') { i = skipString(s, i); continue; }
      if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < s.length && !',}] \t\n\r'.includes(s[i])) i++;
  return i;
}

/** Character offset where the value at `path` starts in (valid) JSON text, or undefined. */
export function locateJsonPath(text: string, path: readonly (string | number)[]): number | undefined {
  let i = skipWs(text, 0);
  for (const key of path) {
    i = skipWs(text, i);
    if (typeof key === 'number') {
      if (text[i] !== '[') return undefined;
      i++;
      for (let k = 0; ; k++) {
        i = skipWs(text, i);
        if (text[i] === ']' || i >= text.length) return undefined;
        if (k === key) break;
        i = skipWs(text, skipValue(text, i));
        if (text[i] !== ',') return undefined;
        i++;
      }
    } else {
      if (text[i] !== '{') return undefined;
      i++;
      for (;;) {
        i = skipWs(text, i);
        if (text[i] !== '"') return undefined;
        const end = skipString(text, i);
        let name: unknown;
        try { name = JSON.parse(text.slice(i, end)); } catch { return undefined; }
        i = skipWs(text, end);
        if (text[i] !== ':') return undefined;
        i = skipWs(text, i + 1);
        if (name === key) break;
        i = skipWs(text, skipValue(text, i));
        if (text[i] !== ',') return undefined;
        i++;
      }
    }
  }
  return skipWs(text, i);
}

/** Line of the value at `path`, when it can be found. */
export function lineOfPath(text: string, path: readonly (string | number)[]): number | undefined {
  const at = locateJsonPath(text, path);
  return at === undefined ? undefined : lineAt(text, at);
}

/**
 * JSON.parse with a located error. Engines word syntax errors differently (V8: "at position N",
 * sometimes "(line L column C)"; Firefox: "at line L column C"), so we read whichever is there.
 */
export function parseJsonText(file: string, text: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    let line: number | undefined;
    let column: number | undefined;
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    if (lc) { line = Number(lc[1]); column = Number(lc[2]); }
    else if (pos) {
      const at = Number(pos[1]);
      line = lineAt(text, at);
      column = at - text.lastIndexOf('\n', at - 1);
    } else if (/end of (JSON )?(input|data)/i.test(msg)) line = lineAt(text, text.length);
    const detail = msg
      .replace(/^JSON\.parse: /, '')
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ (in JSON )?at line \d+ column \d+ of the JSON data$/, '')
      .replace(/ in JSON at position \d+$/, '') + (column !== undefined ? ` at column ${column}` : '');
    throw new ImportError({
      file,
      line: line === undefined ? undefined : line + lineOffset,
      problem: `this is not valid JSON (${detail})`,
    });
  }
}
