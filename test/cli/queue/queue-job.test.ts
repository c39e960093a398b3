import { describe, expect, it } from 'vitest';
import { parsePayload, parseResult, PAYLOAD_VERSION } from '../../../src/cli/queue/queue-job';
import { encode, TABLES } from '../../../src/cli/queue/store-changes';

const emptyTables = () => Object.fromEntries(TABLES.map((t) => [t, []]));
const H = 'a'.repeat(64);
const manifest = (extra: Record<string, unknown> = {}) => ({ records: { ...emptyTables(), models: [['m', H]] }, modelFiles: { m: H }, ...extra });
const job = { experimentId: 'e', jobId: 'single/a', experiment: { spec: {} }, states: {}, clock: 'work' };

describe('queue payload and result checks', () => {
  it('accepts a well-formed payload: the job and the manifest of the store', () => {
    const p = parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, manifest: manifest() }) });
    expect(p.job.jobId).toBe('single/a');
    expect(p.manifest.modelFiles.m).toBe(H);
  });

  it('refuses a bad payload with the field named', () => {
    expect(() => parsePayload(null)).toThrow('payload: not an object');
    expect(() => parsePayload({ version: 99, body: '' })).toThrow('payload: version 99, this worker reads 2');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: 42 })).toThrow('payload: body is not a string');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job: { ...job, clock: 'moon' }, manifest: manifest() }) })).toThrow('payload.job.clock: must be wall or work, got moon');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job }) })).toThrow('payload.manifest: not an object');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, manifest: manifest({ records: { ...emptyTables(), runs: [{ id: 'r' }] } }) }) })).toThrow('payload.manifest.records.runs[0]: not an [id, sha-256] pair');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, manifest: manifest({ records: { ...emptyTables(), runs: [['r', 'not-a-hash']] } }) }) })).toThrow('payload.manifest.records.runs[0]: not an [id, sha-256] pair');
    expect(() => parsePayload({ version: PAYLOAD_VERSION, body: encode({ job, manifest: manifest({ modelFiles: { m: 'x' } }) }) })).toThrow('payload.manifest.modelFiles.m: not a sha-256');
  });

  it('refuses a bad result before anything is stored', () => {
    const changes = { put: emptyTables(), deleted: emptyTables(), modelFiles: {} };
    expect(parseResult({ body: encode({ result: { elapsedMs: 5, resultId: 'r' }, changes }) }, 'j').result.resultId).toBe('r');
    expect(() => parseResult({ body: encode({ result: { elapsedMs: Number.NaN }, changes }) }, 'j')).toThrow('queue result of j: result must have a finite elapsedMs');
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 1 }, changes: { ...changes, deleted: { ...emptyTables(), runs: [3] } } }) }, 'j')).toThrow('queue result of j.changes.deleted.runs: not a list of ids');
    // A written model's files travel as a blob named by its hash, never inline.
    expect(parseResult({ body: encode({ result: { elapsedMs: 1 }, changes: { ...changes, modelFiles: { m: H } } }) }, 'j').changes.modelFiles).toEqual({ m: H });
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 1 }, changes: { ...changes, modelFiles: { m: { safetensors: new Uint8Array(2) } } } }) }, 'j')).toThrow('queue result of j.changes.modelFiles.m: not a sha-256');
    // A features job sends its LogME time back; nothing else of the experiment record may come from a worker.
    expect(parseResult({ body: encode({ result: { elapsedMs: 5, recordPatch: { logmeMs: 12 } }, changes }) }, 'j').result.recordPatch).toEqual({ logmeMs: 12 });
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 5, recordPatch: { analysis: {} } }, changes }) }, 'j')).toThrow('result.recordPatch may only hold logmeMs');
    expect(() => parseResult({ body: encode({ result: { elapsedMs: 5, recordPatch: { logmeMs: -1 } }, changes }) }, 'j')).toThrow('a finite number ≥ 0');
  });
});
