/** Checks on paths a user names, made before any work so that a wrong one fails in seconds. */
import { stat } from 'node:fs/promises';

/**
 * `dir` must be a folder or not exist yet (it is then created by the writer): a file there is
 * refused now, not after an hour of training when the first output is written.
 */
export async function requireFolderOrNothing(dir: string, what: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!isDirectory) throw new Error(`${what} ${dir} is a file; a folder was expected there`);
}
