/** Node adapters: a model folder on disk as a FileSource, and writing a saved model to a folder. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkFileName, FileNotFoundError, type FileSource } from './fileSource';

export function folderSource(dir: string): FileSource {
  const description = `folder ${dir}`;
  return {
    description,
    kind: 'folder',
    async readFile(name, onProgress) {
      checkFileName(name);
      try {
        const buf = await readFile(path.join(dir, name));
        const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
        onProgress?.({ file: name, loaded: bytes.length, total: bytes.length });
        return bytes;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new FileNotFoundError(name, description);
        throw err;
      }
    },
    async readText(name) {
      return new TextDecoder().decode(await this.readFile(name));
    },
  };
}

/** Writes files (e.g. from saveBert) into a folder, creating it. */
export async function writeFolder(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of files) {
    checkFileName(name);
    await writeFile(path.join(dir, name), bytes);
  }
}
