import { fileURLToPath } from 'node:url';
import { readInputFiles } from '../../../src/lib/data/read-files.node.js';
import type { InputFile } from '../../../src/lib/data/schema';
import { ImportError } from '../../../src/lib/data/errors';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/data/', import.meta.url));

/** The hand-written sample files under test/fixtures/data/<sub>. */
export function fixtureFiles(sub: string): Promise<InputFile[]> {
  return readInputFiles(FIXTURES + sub);
}

export function textFile(name: string, text: string): InputFile {
  return { name, bytes: new TextEncoder().encode(text) };
}

/** Runs `fn`, expecting an ImportError; returns it for field assertions. */
export function importErrorOf(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportError) return e;
    throw new Error(`expected an ImportError, got ${String(e)}`);
  }
  throw new Error('expected an ImportError, but the import succeeded');
}
