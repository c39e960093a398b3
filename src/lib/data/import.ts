/**
 * One entry point for every input format, used by the UI's import dialog and the CLI
 * (`--format trecis|crisislex|csv|jsonl`). Each importer is also exported on its own.
 */
import { importCrisisLex, type CrisisLexOptions } from './crisislex';
import { ImportError } from './errors';
import type { Dataset, ImportFormat, InputFile } from './schema';
import { importTable, type TableOptions } from './table';
import { importTrecis, type TrecisOptions } from './trecis';
import { validateDataset } from './validate';

export const IMPORT_FORMATS: readonly ImportFormat[] = ['trecis', 'crisislex', 'csv', 'jsonl'];

export interface ImportOptions {
  name?: string;
  trecis?: Omit<TrecisOptions, 'name'>;
  crisislex?: Omit<CrisisLexOptions, 'name'>;
  /** For csv and jsonl. */
  table?: Omit<TableOptions, 'name'>;
}

export function importDataset(format: ImportFormat, files: InputFile[], options: ImportOptions = {}): Dataset {
  let ds: Dataset;
  switch (format) {
    case 'trecis':
      ds = importTrecis(files, { ...options.trecis, name: options.name });
      break;
    case 'crisislex':
      ds = importCrisisLex(files, { ...options.crisislex, name: options.name });
      break;
    case 'csv':
    case 'jsonl':
      ds = importTable(format, files, { ...options.table, name: options.name });
      break;
    default:
      throw new ImportError({ file: '(options)', field: 'format', problem: `unknown format "${String(format)}"; expected one of ${IMPORT_FORMATS.join(', ')}` });
  }
  return validateDataset(ds, ds.name);
}
