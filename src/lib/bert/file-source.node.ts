/** Node adapters: a model folder on disk as a FileSource, and writing a saved model to a folder. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFilesAtomic } from '../util/atomic-write.node.js';
import { checkFileName, FileNotFoundError, type FileSource } from './file-source';

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
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new FileNotFoundError(name, description);
        if (code === 'EISDIR') throw new Error(`${description}: ${name} is a folder; a file was expected`, { cause: err });
        if (code === 'ENOTDIR') throw new Error(`${dir} is a file; a model folder was expected (with config.json, model.safetensors and vocab.txt or tokenizer.json)`, { cause: err });
        throw err;
      }
    },
    async readText(name) {
      return new TextDecoder().decode(await this.readFile(name));
    },
  };
}

/** Writes files (e.g. from saveBert) into a folder, creating it; each file atomically (util/atomic-write.node.ts). */
export async function writeFolder(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const name of files.keys()) checkFileName(name);
  await writeFilesAtomic(dir, files);
}
