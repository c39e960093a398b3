/**
 * Node-only: finds and reads apt's downloaded index files (/var/lib/apt/lists). apt stores them
 * lz4-compressed here; Node has no lz4 codec, so we call the `lz4` tool that apt's own
 * configuration relies on (Debian package `lz4`). Plain and .gz files are read directly.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const APT_LISTS = '/var/lib/apt/lists';

/** The single file in `dir` whose name matches `pattern`, with a clear error for none or several. */
export function findList(dir: string, pattern: RegExp, what: string, hint: string): string {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new Error(`cannot list ${dir} to find the ${what}: ${(e as Error).message}`);
  }
  const hits = names.filter((n) => pattern.test(n)).sort();
  if (hits.length === 0) throw new Error(`no ${what} in ${dir} (looked for ${pattern}); ${hint}`);
  if (hits.length > 1) throw new Error(`several ${what} files in ${dir}: ${hits.join(', ')}; pass the one to use explicitly`);
  return join(dir, hits[0]);
}

export function readListText(path: string): string {
  let bytes: Buffer;
  if (path.endsWith('.lz4')) {
    try {
      bytes = execFileSync('lz4', ['-dc', path], { maxBuffer: 1 << 30 });
    } catch (e) {
      throw new Error(`cannot decompress ${path} with the lz4 tool (apt-get install lz4): ${(e as Error).message}`);
    }
  } else if (path.endsWith('.gz')) bytes = gunzipSync(readFileSync(path));
  else bytes = readFileSync(path);
  return bytes.toString('utf8');
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface ReleaseInfo {
  file: string;
  date: string;
  version: string;
  codename: string;
  /** index path (e.g. "main/i18n/Translation-en") → SHA256 of its uncompressed form. */
  sha256: Map<string, string>;
}

/** Reads an (In)Release file: its Date, Version and SHA256 list. The PGP signature itself was checked
 *  by apt when it downloaded the file. */
export function readRelease(path: string): ReleaseInfo {
  const text = readFileSync(path, 'utf8');
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(text)?.[1].trim() ?? '';
  const sums = new Map<string, string>();
  const block = /^SHA256:\n((?: .*\n)+)/m.exec(text);
  for (const line of block?.[1].split('\n') ?? []) {
    const m = /^ ([0-9a-f]{64})\s+\d+\s+(\S+)$/.exec(line);
    if (m) sums.set(m[2], m[1]);
  }
  return { file: basename(path), date: field('Date'), version: field('Version'), codename: field('Codename'), sha256: sums };
}
