/**
 * Pretraining checkpoints on disk. A checkpoint is one file, replaced atomically (written to a
 * temporary name, flushed, then renamed over the old one), so a crash or a kill mid-write leaves
 * the previous checkpoint intact instead of a truncated one.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync, existsSync } from 'node:fs';
import path from 'node:path';

export const CHECKPOINT_FILE = 'latest.safetensors';

export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function checkpointPath(dir: string): string {
  return path.join(dir, CHECKPOINT_FILE);
}

/** The latest checkpoint's bytes, or null when the folder has none. */
export function readCheckpoint(dir: string): Uint8Array | null {
  const file = checkpointPath(dir);
  if (!existsSync(file)) return null;
  const buf = readFileSync(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
