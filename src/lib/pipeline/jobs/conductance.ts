/**
 * Conductance of a task's best model on every explained document (the union of the kept tasks'
 * positive test documents), through the store-backed attribution cache: each document's result is
 * stored as soon as it is computed, so an interrupted job resumes at the next document.
 */
import { explainDocuments } from '../../explain/explain-documents';
import { StoreAttributionCache } from '../attribution-store';
import type { ConductanceJob } from '../types';
import type { Measurement } from '../clock';
import { bestModelId, type JobContext, type JobOutcome } from './context';

/** Work units one document costs on the deterministic clock: one per interpolation point. */
export function conductanceUnitsPerDocument(nSteps: number): number {
  return nSteps + 1;
}

export async function runConductanceJob(ctx: JobContext, job: ConductanceJob, work: Measurement): Promise<JobOutcome> {
  const session = await ctx.session();
  const modelId = bestModelId(ctx, job.task);
  const c = ctx.spec.conductance;
  const units = conductanceUnitsPerDocument(c.nSteps);
  const docs = ctx.prepared.conductanceDocs.map((i) => ({ id: ctx.prepared.dataset.docs[i].id, text: ctx.prepared.dataset.docs[i].text }));
  const model = await session.loadStoredModel(modelId);
  try {
    await explainDocuments(model, session.tokenizer, docs, {
      modelId,
      cache: new StoreAttributionCache(ctx.env.store, ctx.experimentId, ctx.clock, units),
      maxLength: session.maxLength,
      method: c.method,
      nSteps: c.nSteps,
      internalBatchSize: c.internalBatchSize ?? undefined,
      signal: ctx.signal,
      onProgress: (p) => {
        work.add(units);
        ctx.onStep({ step: p.done, totalSteps: p.total, units: p.done * units });
      },
    });
  } finally {
    model.dispose();
  }
  return { resultId: modelId };
}
