/**
 * Model weights ↔ safetensors bytes, under Hugging Face names. Loading renames what real
 * checkpoints carry (LayerNorm gamma/beta, missing `bert.` prefix), drops buffers and tied copies,
 * checks every expected shape, and initialises missing heads afresh with a note.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './config';
import { initGroups } from './init';
import { BertModel } from './model';
import { groupShapes, normalizeName, type ParamGroup } from './names';
import { parseSafetensors, readFloat32, serializeSafetensors, SafetensorsError, type NamedFloat32 } from './safetensors';

/** What the model is for: which heads to load (or create) beside the encoder. */
export type BertHead = 'classification' | 'masked-lm' | 'encoder';

export function groupsForHead(head: BertHead): ParamGroup[] {
  switch (head) {
    case 'classification': return ['encoder', 'pooler', 'classifier'];
    case 'masked-lm': return ['encoder', 'masked-lm'];
    case 'encoder': return ['encoder'];
  }
}

export interface WeightsOptions {
  head?: BertHead;
  /** Seed for heads that the checkpoint lacks (fresh init). */
  seed?: number;
  source?: string;
}

/**
 * Builds a model from safetensors bytes. The encoder must be complete; a missing pooler, classifier
 * or masked-LM head (for the chosen `head`) is initialised afresh and noted in `model.notes`.
 * A classifier of the wrong size (other num_labels) is an error. Tensors of other heads that the
 * file holds (e.g. `cls.*` when loading for classification) are ignored with a note.
 */
export function modelFromSafetensors(config: BertConfig, bytes: Uint8Array, options: WeightsOptions = {}): BertModel {
  const source = options.source ?? 'model.safetensors';
  const head = options.head ?? 'classification';
  const file = parseSafetensors(bytes, source);
  // Checkpoint name → our name (first one wins if two names normalise to the same).
  const byName = new Map<string, string>();
  for (const raw of file.tensors.keys()) {
    const n = normalizeName(raw);
    if (n !== null && !byName.has(n)) byName.set(n, raw);
  }
  const notes: string[] = [];
  const params = new Map<string, tf.Variable>();
  const missingGroups: ParamGroup[] = [];
  const wanted = groupsForHead(head);
  const used = new Set<string>();
  try {
    for (const group of wanted) {
      const shapes = groupShapes(config, group);
      const present = [...shapes.keys()].filter((n) => byName.has(n));
      if (present.length === 0 && group !== 'encoder') {
        missingGroups.push(group);
        continue;
      }
      for (const [name, shape] of shapes) {
        const raw = byName.get(name);
        if (raw === undefined) {
          throw new SafetensorsError('missing-tensor', `${source}: tensor "${name}" is missing (the ${group} is incomplete)`);
        }
        const data = readFloat32(file, raw, shape);
        params.set(name, tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true)));
        used.add(name);
      }
    }
  } catch (err) {
    for (const v of params.values()) v.dispose();
    throw err;
  }
  if (missingGroups.length > 0) {
    for (const [n, v] of initGroups(config, missingGroups, options.seed ?? 0)) params.set(n, v);
    notes.push(`${source} has no ${missingGroups.join(' or ')} weights: initialised afresh (seed ${options.seed ?? 0})`);
  }
  const ignored = [...byName.keys()].filter((n) => !used.has(n));
  if (ignored.length > 0) {
    const sample = ignored.slice(0, 4).join(', ');
    notes.push(`ignored ${ignored.length} tensor(s) not used by a ${head} model: ${sample}${ignored.length > 4 ? ', …' : ''}`);
  }
  return new BertModel(config, params, notes);
}

/** All parameters as float32 arrays with their HF names and shapes. */
export async function namedWeights(model: BertModel): Promise<NamedFloat32[]> {
  const out: NamedFloat32[] = [];
  for (const [name, v] of model.params) out.push({ name, shape: v.shape, data: (await v.data()) as Float32Array });
  return out;
}

/** model.safetensors bytes in `transformers`' layout (see serializeSafetensors). */
export async function modelToSafetensors(model: BertModel): Promise<Uint8Array> {
  return serializeSafetensors(await namedWeights(model));
}
