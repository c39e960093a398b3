import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordIds } from '../../../../src/lib/pipeline/ids';
import { jobIds } from '../../../../src/lib/pipeline/plan';
import { runRows } from '../../../../src/lib/pipeline/results/run-rows';
import type { SingleJob, TransferJob } from '../../../../src/lib/pipeline/types';
import { EXPERIMENT_ID, plannedExperiment, type PlannedExperiment } from './stored-fixture';

let e: PlannedExperiment;
beforeAll(async () => {
  e = await plannedExperiment();
});
afterAll(() => e.dispose());

describe('runRows', () => {
  it('gives every stored run one row with its settings, and marks the best single-task run of each task', async () => {
    const [s1, s2] = e.jobs.jobs.filter((j): j is SingleJob => j.kind === 'single' && j.task === e.jobs.tasks[0]);
    const transfer = e.jobs.jobs.find((j): j is TransferJob => j.kind === 'transfer')!;
    await e.putRun(s1, 0.5);
    await e.putRun(s2, 0.75, { backend: 'wasm' });
    await e.putRun(transfer, 0.25);
    await e.setJobs({ [jobIds.best(s1.task)]: { status: 'done', resultId: recordIds.model(EXPERIMENT_ID, s2.id) } });
    const rows = await runRows(e.store, await e.stored());
    expect(rows).toHaveLength(3);
    const byF1 = new Map(rows.map((r) => [r.f1, r]));
    expect(byF1.get(0.5)).toMatchObject({ kind: 'single', task: s1.task, lr: s1.setting.lr, epochs: s1.setting.epochs, batch: s1.setting.batch, best: false });
    expect(byF1.get(0.5)).not.toHaveProperty('backend');
    expect(byF1.get(0.75)).toMatchObject({ best: true, backend: 'wasm' });
    expect(byF1.get(0.25)).toMatchObject({ kind: 'transfer', source: transfer.source, task: transfer.target });
    expect(byF1.get(0.25)).not.toHaveProperty('best');
  });
});
