/**
 * Node adapter: a file or a folder on disk → the `InputFile[]` the importers take (the browser gets
 * the same from a file picker or a dropped folder). Folder entries are read recursively, in name
 * order so that imports are reproducible, and named by their path relative to the folder, which
 * importers use (CrisisLex takes the event from the folder name).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { InputFile } from './schema';

export async function readInputFiles(path: string): Promise<InputFile[]> {
  const info = await stat(path);
  if (info.isFile()) return [{ name: basename(path), bytes: new Uint8Array(await readFile(path)) }];
  const out: InputFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push({ name: relative(path, full).split(sep).join('/'), bytes: new Uint8Array(await readFile(full)) });
    }
  };
  await walk(path);
  return out;
}
