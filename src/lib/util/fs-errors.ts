/**
 * Node's file-system errors ("ENOTDIR: not a directory, open '/x/config.json'") in words a user
 * can act on: which path, and what was expected there. Pure (looks only at `code`, `path`,
 * `syscall`), so the CLI and the Node adapters share one wording.
 */

interface ErrnoLike {
  code?: unknown;
  path?: unknown;
  syscall?: unknown;
  message?: unknown;
}

const ERRNO_CODES = new Set(['ENOENT', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'EROFS', 'EMFILE']);

/** Whether `e` is one of the file-system errors `describeFsError` words. */
export function isFsError(e: unknown): e is ErrnoLike & { code: string } {
  return typeof e === 'object' && e !== null && typeof (e as ErrnoLike).code === 'string' && ERRNO_CODES.has((e as ErrnoLike).code as string);
}

/**
 * One line naming the path and the problem, or undefined when `e` is not a file-system error.
 * `path` overrides the error's own path (e.g. the folder a user named rather than a file in it).
 */
export function describeFsError(e: unknown, path?: string): string | undefined {
  if (!isFsError(e)) return undefined;
  const p = path ?? (typeof e.path === 'string' ? e.path : undefined) ?? '(unknown path)';
  switch (e.code) {
    case 'ENOENT':
      return `${p}: no such file or folder`;
    case 'EISDIR':
      return `${p} is a folder; a file was expected there`;
    case 'ENOTDIR':
      return `${p}: a part of this path is a file; a folder was expected there`;
    case 'EEXIST':
      return e.syscall === 'mkdir' ? `${p} is a file; a folder was expected there` : `${p} already exists`;
    case 'EACCES':
    case 'EPERM':
      return `${p}: permission denied`;
    case 'EROFS':
      return `${p}: the file system is read-only`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `${p}: the disk is full`;
    case 'EMFILE':
      return `${p}: too many open files`;
    default:
      return undefined;
  }
}
