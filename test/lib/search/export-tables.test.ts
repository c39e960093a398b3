import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/lib/search/analysis';
import {
  analysisSummary,
  analysisTables,
  singleTaskTable,
  table1Table,
  toCsv,
  toJson,
  type Table,
} from '../../../src/lib/search/export-tables';
import { table1 } from '../../../src/lib/search/table1';
import { firstColumnFit, syntheticSingleTask, syntheticTransferRows } from './synthetic-runs';

function parseCsv(csv: string): { fields: string[]; rows: Record<string, unknown>[] } {
  const parsed = Papa.parse<Record<string, unknown>>(csv, { header: true, dynamicTyping: true, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data };
}

const analysis = analyse({
  singleTask: syntheticSingleTask(),
  transfer: syntheticTransferRows(),
  featureSets: [
    { name: 'F1', features: ['fixed_pred', 'f1_source', 'f1_target'] },
    { name: 'F1+ANSAT', features: ['fixed_pred', 'f1_source', 'f1_target', 'ansat_D_A_0.05'] },
  ],
  fit: firstColumnFit,
  costs: { conductanceMs: 50 },
});
const tables = analysisTables(analysis, { rows: syntheticTransferRows(), featureNames: ['f1_source', 'f1_target', 'ansat_D_A_0.05'] });

describe('export', () => {
  it('produces the named tables with stable columns', () => {
    expect(tables.map((t) => t.name)).toEqual(['table1', 'rmse_at_k', 'runtime_at_k', 'headline', 'transfer_runs']);
    expect(tables[2]!.columns).toEqual(['order', 'kind', 'k', 'mean_best_f1', 'runtime_ms', 'runtime_fraction', 'honest_runtime_ms', 'honest_runtime_fraction']);
    expect(tables[4]!.columns.slice(-2)).toEqual(['pred_F1', 'pred_F1+ANSAT']);
    // 4 orders × 4 depths
    expect(tables[2]!.rows).toHaveLength(16);
    // exhaustive ×2 accountings, then 4 orders × 2 accountings × 2 criteria
    expect(tables[3]!.rows).toHaveLength(2 + 16);
  });

  it('every CSV parses back to the same cells (numbers at full precision), header in column order', () => {
    for (const table of tables) {
      const { fields, rows } = parseCsv(toCsv(table));
      expect(fields).toEqual([...table.columns]);
      expect(rows).toHaveLength(table.rows.length);
      table.rows.forEach((row, i) => {
        for (const c of table.columns) {
          const v = row[c];
          const expected = v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v)) ? null : v;
          expect(rows[i]![c], `${table.name} row ${i} column ${c}`).toBe(expected);
        }
      });
    }
  });

  it('JSON keeps the same cells and key order', () => {
    for (const table of tables) {
      const parsed = JSON.parse(toJson(table)) as Record<string, unknown>[];
      expect(parsed).toHaveLength(table.rows.length);
      parsed.forEach((row, i) => {
        expect(Object.keys(row)).toEqual([...table.columns]);
        for (const c of table.columns) expect(row[c]).toBe(table.rows[i]![c] ?? null);
      });
    }
  });

  it('writes repeating decimals and tiny numbers exactly, quotes names that need it, blanks for missing', () => {
    const table: Table = {
      name: 't',
      columns: ['name', 'x', 'y'],
      rows: [
        { name: 'a,b "c"', x: 1 / 3, y: 1.2345678901234567e-12 },
        { name: 'plain', x: 0.1 + 0.2, y: Number.NaN },
        { name: 'none', x: null },
      ],
    };
    const csv = toCsv(table);
    expect(csv).toBe(`name,x,y\n"a,b ""c""",${1 / 3},1.2345678901234567e-12\nplain,0.30000000000000004,\nnone,,\n`);
    const { rows } = parseCsv(csv);
    expect(rows[0]).toEqual({ name: 'a,b "c"', x: 1 / 3, y: 1.2345678901234567e-12 });
    expect(rows[1]).toEqual({ name: 'plain', x: 0.1 + 0.2, y: null });
    expect(JSON.parse(toJson(table))[1]).toEqual({ name: 'plain', x: 0.30000000000000004, y: null });
    expect(() => toCsv({ name: 'bad', columns: ['a'], rows: [{ b: 1 }] })).toThrow(/table "bad", row 0: column "b" is not among \[a\]/);
  });

  it('Table 1 CSV: one row per task, then the average row', () => {
    const t = table1Table(table1(syntheticSingleTask(), syntheticTransferRows()));
    const { rows } = parseCsv(toCsv(t));
    expect(rows.map((r) => r.kind)).toEqual(['task', 'task', 'task', 'task', 'average']);
    expect(rows[1]).toMatchObject({ task: 'B', single_f1: 0.55, single_lr: 3e-5, transfer_source: 'C', transfer_f1: 0.7 });
    expect(rows[0]).toMatchObject({ task: 'A', transfer_source: null, gain: null });
    expect(rows[4]!.tasks_averaged).toBe(3);
    expect(rows[4]!.transfer_f1).toBe((0.7 + 0.4 + 0.8) / 3);
  });

  it('single-task runs and the summary', () => {
    const s = singleTaskTable(syntheticSingleTask());
    expect(s.columns).toEqual(['task', 'lr', 'epochs', 'batch', 'seed', 'f1', 'accuracy', 'precision', 'recall', 'wall_time_ms', 'examples_seen']);
    expect(parseCsv(toCsv(s)).rows[3]).toMatchObject({ task: 'B', lr: 3e-5, wall_time_ms: 50 });
    const summary = JSON.parse(JSON.stringify(analysisSummary(analysis)));
    expect(summary.headline.orders).toHaveLength(4);
    expect(summary.exhaustive.runtimeMs).toBe(135);
    expect(summary.table1Average.tasks).toBe(3);
  });
});
