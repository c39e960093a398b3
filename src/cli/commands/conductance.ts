/** `conductance`: layer conductance of every layer (one pass), token scores and terms for texts. */
import { stat } from 'node:fs/promises';
import { parseArgs, CliError } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { folderSource } from '../../lib/bert/file-source.node.js';
import { loadBert, type LoadedBert } from '../../lib/bert/load';
import type { DocAttribution } from '../../lib/explain/doc-attribution';
import { explainDocuments } from '../../lib/explain/explain-documents';
import { CONDUCTANCE_METHODS, isConductanceMethod, type ConductanceMethod } from '../../lib/explain/interpolation';
import { DEFAULT_METHOD, DEFAULT_N_STEPS, DEFAULT_TARGET } from '../../lib/explain/layer-conductance';

export const usage = `usage: npm run cli -- conductance --model DIR --text "…" [--text "…" …] [--steps 50]
         [--method gausslegendre|riemann_trapezoid] [--target 1] [--internal-batch N] [--max-length N]
  Layer conductance (Captum LayerConductance semantics) of every encoder layer in one batched pass.
  Prints {"sentences":[{"text","tokens","F_input","F_baseline","layers":[{"raw_token_sums","normalized",
  "l2_norm","convergence_delta"}],"layer_mean_normalized","terms":[{"term","pieces","token_indices","score"}]}]}.`;

/** Loads an HF model folder named by a flag, with a clear message when the folder is not there. */
export async function loadModelFolder(flag: string, dir: string): Promise<LoadedBert> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new Error(`--${flag} ${dir}: no such folder`);
  if (!info.isDirectory()) throw new Error(`--${flag} ${dir}: not a folder (expected a Hugging Face model folder with config.json, model.safetensors and tokenizer files)`);
  return loadBert(folderSource(dir));
}

export interface ConductanceSettings {
  method: ConductanceMethod;
  nSteps: number;
  target: number;
  internalBatchSize?: number;
}

/** --steps, --method, --target, --internal-batch, shared with the ansat command. */
export function conductanceSettings(args: ReturnType<typeof parseArgs>): ConductanceSettings {
  const method = args.get('method') ?? DEFAULT_METHOD;
  if (!isConductanceMethod(method)) throw new CliError(`--method must be one of ${CONDUCTANCE_METHODS.join(', ')}, got "${method}"`);
  const nSteps = args.int('steps', DEFAULT_N_STEPS);
  if (nSteps < 1) throw new CliError(`--steps must be ≥ 1, got ${nSteps}`);
  const target = args.int('target', DEFAULT_TARGET);
  const internalBatchSize = args.has('internal-batch') ? args.int('internal-batch') : undefined;
  if (internalBatchSize !== undefined && internalBatchSize < 1) throw new CliError(`--internal-batch must be ≥ 1, got ${internalBatchSize}`);
  return { method, nSteps, target, internalBatchSize };
}

/** The JSON of one document (field names as the fixtures'). */
export function attributionJson(text: string, a: DocAttribution) {
  return {
    text,
    tokens: a.tokens,
    input_ids: a.inputIds,
    method: a.method,
    n_steps: a.nSteps,
    target: a.target,
    F_input: a.fInput,
    F_baseline: a.fBaseline,
    layers: a.layers.map((l) => ({
      raw_token_sums: l.rawTokenSums,
      normalized: l.normalized,
      l2_norm: l.l2Norm,
      convergence_delta: l.convergenceDelta,
    })),
    layer_mean_normalized: a.layerMeanNormalized,
    terms: a.terms.map((t) => ({ term: t.term, pieces: t.pieces, token_indices: t.tokenIndices, score: t.score })),
  };
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['model', 'text', 'steps', 'method', 'target', 'internal-batch', 'max-length']);
  const dir = args.required('model');
  const texts = args.all('text');
  if (texts.length === 0) throw new CliError('give at least one --text');
  const settings = conductanceSettings(args);
  await initBackend('wasm');
  const { model, tokenizer } = await loadModelFolder('model', dir);
  try {
    const maxLength = args.has('max-length') ? args.int('max-length') : undefined;
    const { attributions } = await explainDocuments(model, tokenizer, texts.map((text) => ({ text })), {
      modelId: dir,
      ...settings,
      maxLength,
    });
    return { sentences: attributions.map((a, i) => attributionJson(texts[i], a)) };
  } finally {
    model.dispose();
  }
}
