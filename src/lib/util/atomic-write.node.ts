/**
 * Every file the CLI writes (summary.json, the CSVs, a trained model's files, checkpoints, regressor
 * JSON) goes through here: written to a temporary file in the same folder, flushed to disk (fsync),
 * then renamed over the target. Rename within a folder is atomic, so a kill, a crash or a full disk
 * leaves the previous file (or none) — never a truncated one. A failure becomes one line that names
 * the file, the space it needed and says the earlier results are intact (OutputWriteError).
 */
import * as nodeFs from 'node:fs';
import * as nodeFsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { formatBytes } from '../store/size';
import { describeFsError, isFsError } from './fs-errors';

/** The file operations used; node:fs by default, replaced by tests to inject failures (ENOSPC…). */
export interface AtomicFs {
  open(path: string, flags: 'w'): Promise<{ writeFile(data: Uint8Array): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  statfs?(path: string): Promise<{ bavail: number; bsize: number }>;
}

export interface AtomicWriteOptions {
  fs?: AtomicFs;
  /** Create the folder when missing (default true). */
  mkdir?: boolean;
}

/** A failed output write: `file` is untouched (its previous contents, if any, are intact). */
export class OutputWriteError extends Error {
  constructor(readonly file: string, readonly bytes: number, readonly code: string | undefined, message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'OutputWriteError';
  }
}

let counter = 0;
// Worker threads share the PID: the thread id keeps two threads' temporary names apart.
const tmpNameOf = (file: string) => join(dirname(file), `.${basename(file)}.${process.pid}-${threadId}-${++counter}.tmp`);
const toBytes = (data: Uint8Array | string) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

function failure(file: string, bytes: number, e: unknown, freeBytes: number | undefined): OutputWriteError {
  const code = isFsError(e) ? e.code : undefined;
  const intact = `${file} and the earlier results are intact`;
  let what: string;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    what = `the disk is full: ${formatBytes(bytes)} needed${freeBytes !== undefined ? `, ${formatBytes(freeBytes)} free` : ''}`;
  } else {
    // Name what the user knows: the output (not our temporary file), or its folder when the
    // temporary file could not be created there.
    const p = isFsError(e) && typeof e.path === 'string' ? e.path : undefined;
    const where = p !== undefined && !p.endsWith('.tmp') ? p : p !== undefined && ['EACCES', 'EPERM', 'EROFS'].includes(code ?? '') ? dirname(file) : file;
    const described = describeFsError(e, where);
    what = described ?? (e instanceof Error ? e.message : String(e));
  }
  return new OutputWriteError(file, bytes, code, `could not write ${file} (${what}); ${intact}`, e);
}

/** Writes `data` to `file` atomically (see the module comment). */
export async function writeFileAtomic(file: string, data: Uint8Array | string, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? (nodeFsp as unknown as AtomicFs);
  const bytes = toBytes(data);
  const tmp = tmpNameOf(file);
  let opened = false;
  try {
    if (options.mkdir !== false) await fs.mkdir(dirname(file), { recursive: true });
    const fh = await fs.open(tmp, 'w');
    opened = true;
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    if (opened) await fs.unlink(tmp).catch(() => undefined);
    let free: number | undefined;
    try {
      const s = await fs.statfs?.(dirname(file));
      if (s) free = s.bavail * s.bsize;
    } catch { /* not supported here */ }
    throw failure(file, bytes.byteLength, e, free);
  }
}

/** The synchronous twin, for callers that cannot await (checkpoints between training steps). */
export function writeFileAtomicSync(file: string, data: Uint8Array | string): void {
  const bytes = toBytes(data);
  const tmp = tmpNameOf(file);
  let fd: number | undefined;
  try {
    nodeFs.mkdirSync(dirname(file), { recursive: true });
    fd = nodeFs.openSync(tmp, 'w');
    let off = 0;
    while (off < bytes.length) off += nodeFs.writeSync(fd, bytes, off, bytes.length - off);
    nodeFs.fsyncSync(fd);
    nodeFs.closeSync(fd);
    fd = undefined;
    nodeFs.renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) try { nodeFs.closeSync(fd); } catch { /* already closed */ }
    try { nodeFs.unlinkSync(tmp); } catch { /* never created */ }
    let free: number | undefined;
    try {
      const s = nodeFs.statfsSync(dirname(file));
      free = s.bavail * s.bsize;
    } catch { /* not supported here */ }
    throw failure(file, bytes.byteLength, e, free);
  }
}

/** Writes several files into `dir` (each atomically; the folder is created when missing). */
export async function writeFilesAtomic(dir: string, files: Iterable<[string, Uint8Array | string]>, options: AtomicWriteOptions = {}): Promise<void> {
  for (const [name, data] of files) await writeFileAtomic(join(dir, name), data, options);
}
