/**
 * Input of the baselines: labelled documents and the task names. Only TRAIN documents are used, so
 * that a baseline never sees the test split its transfer F1 is measured on: a document counts when its
 * `split` is "train" or absent (data without a split counts whole).
 */
export interface BaselineDoc {
  text: string;
  labels: readonly string[];
  split?: string;
  /** Optional; only used to name a document in error messages. */
  id?: string;
}

function where(i: number, d: unknown): string {
  const id = typeof d === 'object' && d !== null && typeof (d as { id?: unknown }).id === 'string' ? ` (id "${(d as { id: string }).id}")` : '';
  return `baselines: document ${i}${id}`;
}

export function validateBaselineInput(docs: readonly BaselineDoc[], tasks: readonly string[]): void {
  if (!Array.isArray(docs)) throw new Error('baselines: docs must be an array of {text, labels[], split?}');
  if (!Array.isArray(tasks) || tasks.length < 2) throw new Error(`baselines: at least two task names are needed, got ${JSON.stringify(tasks)}`);
  tasks.forEach((t, i) => {
    if (typeof t !== 'string' || t.length === 0) throw new Error(`baselines: task name ${i} must be a non-empty string, got ${JSON.stringify(t)}`);
    if (tasks.indexOf(t) !== i) throw new Error(`baselines: task "${t}" is listed twice`);
  });
  docs.forEach((d, i) => {
    if (typeof d !== 'object' || d === null) throw new Error(`${where(i, d)}: expected an object {text, labels[], split?}`);
    if (typeof d.text !== 'string') throw new Error(`${where(i, d)}: field "text" must be a string, got ${typeof d.text}`);
    if (!Array.isArray(d.labels) || (d.labels as readonly unknown[]).some((l) => typeof l !== 'string')) {
      throw new Error(`${where(i, d)}: field "labels" must be an array of strings`);
    }
    if (d.split !== undefined && typeof d.split !== 'string') throw new Error(`${where(i, d)}: field "split" must be a string if present`);
  });
}

export function isTrainDoc(d: BaselineDoc): boolean {
  return d.split === undefined || d.split === 'train';
}

/** Per task (in `tasks` order), the indices into `train` of its positive documents. */
export function positiveDocs(train: readonly BaselineDoc[], tasks: readonly string[]): number[][] {
  const index = new Map(tasks.map((t, i) => [t, i]));
  const out: number[][] = tasks.map(() => []);
  train.forEach((d, i) => {
    for (const label of new Set(d.labels)) {
      const t = index.get(label);
      if (t !== undefined) out[t]!.push(i);
    }
  });
  return out;
}
