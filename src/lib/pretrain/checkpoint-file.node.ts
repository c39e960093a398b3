/**
 * Pretraining checkpoints on disk. A checkpoint is one file, replaced atomically (written to a
 * temporary name, flushed, then renamed over the old one), so a crash or a kill mid-write leaves
 * the previous checkpoint intact instead of a truncated one.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export const CHECKPOINT_FILE = 'latest.safetensors';

/** The CLI's one atomic writer (temporary file, fsync, rename; see util/atomic-write.node.ts). */
export { writeFileAtomicSync as writeFileAtomic } from '../util/atomic-write.node.js';

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
