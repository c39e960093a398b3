/**
 * One writer per experiment folder: a `proper-lockfile` lock on --out, with the owner's PID and
 * start time in a file inside the lock folder. Staleness is decided by the PID (is that process
 * still alive?), not by mtime: a busy tfjs step can stall the event loop longer than any mtime
 * threshold, and a killed run must be resumable at once.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

const LOCK_DIR = 'run.lock';
const OWNER_FILE = 'owner.json';
// Large enough that proper-lockfile's own mtime rule never steals a live run's lock.
const MTIME_STALE_MS = 7 * 24 * 3600 * 1000;

interface Owner { pid: number; host: string; since: string }

/** A second process on the same --out: refused at once (exit 1). */
export class ExperimentLockedError extends Error {}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(path.join(lockPath, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

/** Locks `dir` (which must exist); returns the release function. `note` gets a line when a stale lock is taken over. */
export async function lockExperiment(dir: string, note: (line: string) => void): Promise<() => Promise<void>> {
  const lockPath = path.join(dir, LOCK_DIR);
  const options = { lockfilePath: lockPath, stale: MTIME_STALE_MS, realpath: false, onCompromised: (e: Error) => note(`warning: the lock on ${dir} was lost: ${e.message}`) };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, options);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
    const owner = readOwner(lockPath);
    const live = owner === undefined || owner.host !== hostname() || isAlive(owner.pid);
    if (live) {
      const who = owner ? `process ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''} since ${owner.since}` : 'another process (starting up)';
      throw new ExperimentLockedError(`experiment in ${dir} is being run by ${who}; wait, or stop it`);
    }
    note(`note: taking over the lock of process ${owner.pid} (started ${owner.since}), which is no longer running`);
    rmSync(lockPath, { recursive: true, force: true });
    release = await lockfile.lock(dir, options);
  }
  const self: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(path.join(lockPath, OWNER_FILE), JSON.stringify(self) + '\n');
  // proper-lockfile removes its folder with rmdir, which needs it empty.
  return async () => {
    rmSync(path.join(lockPath, OWNER_FILE), { force: true });
    await release();
  };
}
