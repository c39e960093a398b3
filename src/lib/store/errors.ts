/**
 * Errors the store raises on purpose. A full disk or an exhausted browser quota is an expected
 * event during a long experiment: it gets its own type and a message that says what was being
 * saved and how much room there is, and the store guarantees nothing stored earlier was damaged.
 */
import { formatBytes } from './size';

export interface SpaceInfo {
  usage?: number;
  quota?: number;
  available?: number;
}

export class StorageFullError extends Error {
  readonly what: string;
  readonly bytes?: number;
  readonly space: SpaceInfo;

  constructor(what: string, bytes: number | undefined, space: SpaceInfo, cause?: unknown) {
    const parts = [`Storage is full: could not save ${what}${bytes !== undefined ? ` (about ${formatBytes(bytes)})` : ''}.`];
    const { usage, quota } = space;
    const available = space.available ?? (usage !== undefined && quota !== undefined ? Math.max(0, quota - usage) : undefined);
    if (usage !== undefined && quota !== undefined) parts.push(`${formatBytes(usage)} of ${formatBytes(quota)} used, ${formatBytes(available ?? 0)} free.`);
    else if (available !== undefined) parts.push(`${formatBytes(available)} free${usage !== undefined ? `, ${formatBytes(usage)} used by this store` : ''}.`);
    parts.push('Nothing was changed and earlier data is intact; delete experiments or models you no longer need, then resume.');
    super(parts.join(' '), cause === undefined ? undefined : { cause });
    this.name = 'StorageFullError';
    this.what = what;
    this.bytes = bytes;
    this.space = { usage, quota, available };
  }
}

/** The stored data comes from a newer schema than this code understands. */
export class StoreVersionError extends Error {
  constructor(where: string, found: number, supported: number) {
    super(`${where} was written by a newer TransferScope (store schema ${found}); this version understands up to schema ${supported}. Update the app, or use another store.`);
    this.name = 'StoreVersionError';
  }
}

/** Browser quota errors (Chrome/Safari name, old Firefox name) and Node's disk-full errors. */
export function isQuotaError(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const { name, code } = e as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** Where a stored record lives: its table and id when known, and its file (folder store). */
export interface RecordPlace {
  table?: string;
  id?: string;
  file?: string;
}

/**
 * A stored record failed its checksum or its structure checks: it was changed, truncated or
 * damaged after it was written. Never used silently: the reader stops, names the record and its
 * file, and the pipeline marks the job that wrote it for a re-run (pipeline/rerun-job.ts).
 */
export class CorruptRecordError extends Error {
  readonly place: RecordPlace;
  readonly detail: string;
  /** The jobs marked for a re-run because of this record (set by the pipeline when it does so). */
  rerun?: string[];

  constructor(place: RecordPlace, detail: string) {
    const what = place.table ? `the stored ${place.table} record${place.id !== undefined ? ` "${place.id}"` : ''}` : 'a stored record';
    super(`${what}${place.file ? ` (${place.file})` : ''} is corrupt: ${detail}`);
    this.name = 'CorruptRecordError';
    this.place = place;
    this.detail = detail;
  }

  /** The same error with the table and id filled in by a caller that knows them. */
  at(place: RecordPlace): CorruptRecordError {
    return new CorruptRecordError({ ...this.place, ...Object.fromEntries(Object.entries(place).filter(([, v]) => v !== undefined)) }, this.detail);
  }
}

/** The CorruptRecordError in `e` or its cause chain, if any. */
export function corruptRecordIn(e: unknown): CorruptRecordError | undefined {
  for (let x = e, depth = 0; x && depth < 10; x = (x as { cause?: unknown }).cause, depth++) {
    if (x instanceof CorruptRecordError) return x;
  }
  return undefined;
}
