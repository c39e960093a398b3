import { describe, expect, it } from 'vitest';
import { parsePayload, parseResult, PAYLOAD_VERSION } from '../../../src/cli/queue/queue-job';
import { encode, TABLES } from '../../../src/cli/queue/store-snapshot';

const emptyTables = () => Object.fromEntries(TABLES.map((t) => [t, []]));
const job = { experimentId: 'e', jobId: 'single/a', experiment: { spec: {} }, states: {}, clock: 'work' };

describe('queue payload and result checks', () => {
  it('accepts a well-formed payload and keeps its typed arrays', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const p = parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, snapshot: { records: { ...emptyTables(), models: [{ id: 'm' }] }, modelFiles: { m: { safetensors: bytes } } } }) });
    expect(p.job.jobId).toBe('single/a');
    expect(p.snapshot.modelFiles.m.safetensors).toEqual(bytes);
  });

  it('refuses a bad payload with the field named', () => {
    expect(() => parsePayload(null)).toThrow('payload: not an object');
    expect(() => parsePayload({ version: 99, body: '' })).toThrow('payload: version 99, this worker reads 1');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: 42 })).toThrow('payload: body is not a string');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job: { ...job, clock: 'moon' }, snapshot: { records: emptyTables(), modelFiles: {} } }) })).toThrow('payload.job.clock: must be wall or work, got moon');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, snapshot: { records: { ...emptyTables(), runs: [{ noId: 1 }] }, modelFiles: {} } }) })).toThrow('payload.snapshot.records.runs[0]: no string id');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, snapshot: { records: emptyTables(), modelFiles: { m: { safetensors: 'x' } } } }) })).toThrow('payload.snapshot.modelFiles.m: no safetensors bytes');
  });

  it('refuses a bad result before anything is stored', () => {
    const changes = { put: emptyTables(), deleted: emptyTables(), modelFiles: {} };
    expect(parseResult({ body: encode({ result: { elapsedMs: 5, resultId: 'r' }, changes }) }, 'j').result.resultId).toBe('r');
    expect(() => parseResult({ body: encode({ result: { elapsedMs: Number.NaN }, changes }) }, 'j')).toThrow('queue result of j: result must have a finite elapsedMs');
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 1 }, changes: { ...changes, deleted: { ...emptyTables(), runs: [3] } } }) }, 'j')).toThrow('queue result of j.changes.deleted.runs: not a list of ids');
    // A features job sends its LogME time back; nothing else of the experiment record may come from a worker.
    expect(parseResult({ body: encode({ result: { elapsedMs: 5, recordPatch: { logmeMs: 12 } }, changes }) }, 'j').result.recordPatch).toEqual({ logmeMs: 12 });
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 5, recordPatch: { analysis: {} } }, changes }) }, 'j')).toThrow('result.recordPatch may only hold logmeMs');
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 5, recordPatch: { logmeMs: -1 } }, changes }) }, 'j')).toThrow('a finite number ≥ 0');
  });
});
