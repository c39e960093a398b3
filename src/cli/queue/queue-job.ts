/**
 * What travels on the queue: a job's payload (the lane job and the manifest of the coordinator's
 * store, whose blobs are in Redis: store-manifest.ts) and its result (elapsed work time, result id,
 * and the store changes). Both sides check what they receive before touching it: shape, kinds, and
 * size.
 */
import type { LaneJob, LaneResult } from '../../lib/pipeline/lane-job';
import { isBlobHash } from './blobs';
import { checkRecordTables, decode, QUEUE_MAX_PAYLOAD_BYTES, TABLES, type ResultChanges } from './store-changes';
import { checkManifest, type StoreManifest } from './store-manifest';

/** 2: the store travels as a manifest of blobs (1 sent a whole snapshot). */
export const PAYLOAD_VERSION = 2;

export interface QueuePayload { version: number; body: string }
export interface QueueResult { body: string }

export interface PayloadBody { job: LaneJob; manifest: StoreManifest }
export interface ResultBody { result: LaneResult; changes: ResultChanges }

function checkSize(body: unknown, what: string): string {
  if (typeof body !== 'string') throw new Error(`${what}: body is not a string (got ${body === null ? 'null' : typeof body})`);
  if (body.length > (QUEUE_MAX_PAYLOAD_BYTES * 4) / 3 + 4) throw new Error(`${what}: ${body.length} characters, over the ${QUEUE_MAX_PAYLOAD_BYTES} bytes allowed`);
  return body;
}

export function parsePayload(data: unknown): PayloadBody {
  const p = data as Partial<QueuePayload> | null;
  if (typeof p !== 'object' || p === null) throw new Error('payload: not an object');
  if (p.version !== PAYLOAD_VERSION) throw new Error(`payload: version ${String(p.version)}, this worker reads ${PAYLOAD_VERSION}`);
  let body: unknown;
  try { body = decode(checkSize(p.body, 'payload')); } catch (e) { throw new Error(`payload: ${e instanceof Error ? e.message : String(e)}`); }
  const b = body as Partial<PayloadBody>;
  const j = b?.job as Partial<LaneJob> | undefined;
  if (!j || typeof j.experimentId !== 'string' || typeof j.jobId !== 'string') throw new Error('payload.job: experimentId and jobId must be strings');
  if (j.clock !== 'wall' && j.clock !== 'work') throw new Error(`payload.job.clock: must be wall or work, got ${String(j.clock)}`);
  if (typeof j.experiment !== 'object' || j.experiment === null || typeof j.states !== 'object' || j.states === null) throw new Error('payload.job: experiment and states must be objects');
  // The job's kind is checked by the lane (lane-job.ts): only lane kinds run outside the coordinator.
  checkManifest(b.manifest, 'payload.manifest');
  return b as PayloadBody;
}

export function parseResult(data: unknown, jobId: string): ResultBody {
  const what = `queue result of ${jobId}`;
  if (typeof data !== 'object' || data === null) throw new Error(`${what}: the job's return value is ${data === null ? 'null' : typeof data}, not an object with a body`);
  const body = decode(checkSize((data as Partial<QueueResult> | null)?.body, what)) as Partial<ResultBody>;
  const r = body?.result;
  if (!r || typeof r.elapsedMs !== 'number' || !Number.isFinite(r.elapsedMs) || (r.resultId !== undefined && typeof r.resultId !== 'string')) throw new Error(`${what}: result must have a finite elapsedMs and an optional string resultId`);
  const patch = r.recordPatch as Record<string, unknown> | undefined;
  if (patch !== undefined && (typeof patch !== 'object' || patch === null || Object.keys(patch).some((k) => k !== 'logmeMs') || (patch.logmeMs !== undefined && !(typeof patch.logmeMs === 'number' && Number.isFinite(patch.logmeMs) && patch.logmeMs >= 0)))) {
    throw new Error(`${what}: result.recordPatch may only hold logmeMs, a finite number ≥ 0`);
  }
  const c = body.changes;
  checkRecordTables(c?.put, `${what}.changes.put`);
  for (const t of TABLES) if (!Array.isArray(c!.deleted?.[t]) || !c!.deleted[t].every((id) => typeof id === 'string')) throw new Error(`${what}.changes.deleted.${t}: not a list of ids`);
  const files = c!.modelFiles as unknown;
  if (typeof files !== 'object' || files === null) throw new Error(`${what}.changes.modelFiles: not an object`);
  for (const [id, h] of Object.entries(files)) if (!isBlobHash(h)) throw new Error(`${what}.changes.modelFiles.${id}: not a sha-256`);
  return body as ResultBody;
}
