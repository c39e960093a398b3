/**
 * Files from a drop or a picker, with folder paths kept (`2013_Boston_bombings/…-tweets_labeled.csv`),
 * because the CrisisLex importer names events after their folder. Dropped folders are walked with
 * the File System entries API (`webkitGetAsEntry`), which every current browser supports.
 */
export interface PickedFile {
  /** Path relative to what was picked or dropped. */
  name: string;
  file: File;
}

interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  fullPath: string;
  file?(ok: (f: File) => void, fail: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (entries: EntryLike[]) => void, fail: (e: unknown) => void): void };
}

async function walk(entry: EntryLike, out: PickedFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((ok, fail) => entry.file!(ok, fail));
    out.push({ name: entry.fullPath.replace(/^\//, ''), file });
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns the listing in batches; an empty batch ends it.
    for (;;) {
      const batch = await new Promise<EntryLike[]>((ok, fail) => reader.readEntries(ok, fail));
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out);
    }
  }
}

export async function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const entries = [...transfer.items]
    .map((item) => (item.kind === 'file' ? (item as DataTransferItem & { webkitGetAsEntry?(): EntryLike | null }).webkitGetAsEntry?.() ?? null : null));
  if (entries.some((e) => e !== null)) {
    for (const e of entries) if (e) await walk(e, out);
  } else {
    for (const file of transfer.files) out.push({ name: file.name, file });
  }
  return out.filter((f) => !/(^|\/)\.[^/]*$/.test(f.name)); // hidden files (.DS_Store) are never data
}

export function filesFromInput(list: FileList | null): PickedFile[] {
  return [...(list ?? [])]
    .map((file) => ({ name: (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name, file }))
    .filter((f) => !/(^|\/)\.[^/]*$/.test(f.name));
}
