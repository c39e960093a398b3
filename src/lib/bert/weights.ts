/**
 * Model weights ↔ safetensors bytes, under Hugging Face names. Loading renames what real
 * checkpoints carry (LayerNorm gamma/beta, missing `bert.` prefix), drops buffers and tied copies,
 * checks every expected shape, and initialises missing heads afresh with a note.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './config';
import { initGroups } from './init';
import { BertModel } from './model';
import { EMB, groupShapes, layerPrefix, normalizeName, type ParamGroup } from './names';
import { parseSafetensors, readFloat32, serializeSafetensors, SafetensorsError, type NamedFloat32, type SafetensorsFile } from './safetensors';

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
  /** Where the config came from, for messages that blame one of its fields (default "config.json"). */
  configSource?: string;
}

/** The shape of `name` in the file (under any of the names checkpoints use), or undefined. */
function fileShape(file: SafetensorsFile, byName: Map<string, string>, name: string): number[] | undefined {
  const raw = byName.get(name);
  return raw === undefined ? undefined : file.tensors.get(raw)?.shape;
}

/**
 * Checks the config's sizes against the shapes in the safetensors header, before any tensor is
 * made, so that a wrong config.json is blamed by field (not reported as a shape mismatch of
 * whichever tensor came first).
 */
export function checkConfigAgainstFile(config: BertConfig, file: SafetensorsFile, byName: Map<string, string>, configSource: string): void {
  const fail = (field: string, value: unknown, found: string): never => {
    throw new SafetensorsError('shape', `${configSource}: field "${field}" is ${JSON.stringify(value)}, but ${file.source} ${found}`);
  };
  const emb = (part: string) => fileShape(file, byName, `${EMB}.${part}.weight`);
  const words = emb('word_embeddings');
  if (words && words.length === 2) {
    if (words[1] !== config.hidden_size) fail('hidden_size', config.hidden_size, `has word_embeddings of shape [${words.join(', ')}] (hidden size ${words[1]})`);
    if (words[0] !== config.vocab_size) fail('vocab_size', config.vocab_size, `has word_embeddings of shape [${words.join(', ')}] (${words[0]} tokens)`);
  }
  const positions = emb('position_embeddings');
  if (positions && positions[0] !== config.max_position_embeddings) {
    fail('max_position_embeddings', config.max_position_embeddings, `has position_embeddings of shape [${positions.join(', ')}]`);
  }
  const types = emb('token_type_embeddings');
  if (types && types[0] !== config.type_vocab_size) fail('type_vocab_size', config.type_vocab_size, `has token_type_embeddings of shape [${types.join(', ')}]`);
  let layers = 0;
  for (const n of byName.keys()) {
    const m = /^bert\.encoder\.layer\.(\d+)\./.exec(n);
    if (m) layers = Math.max(layers, Number(m[1]) + 1);
  }
  if (layers < config.num_hidden_layers) fail('num_hidden_layers', config.num_hidden_layers, `holds ${layers} encoder layer${layers === 1 ? '' : 's'}`);
  const inter = fileShape(file, byName, `${layerPrefix(0)}.intermediate.dense.weight`);
  if (inter && inter[0] !== config.intermediate_size) fail('intermediate_size', config.intermediate_size, `has layer 0's intermediate.dense.weight of shape [${inter.join(', ')}]`);
}

/** Refuses weights holding NaN or ±Inf: a model built from them only ever predicts NaN. */
export function checkFinite(data: Float32Array, name: string, source: string): void {
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v) nan++;
    else if (v === Infinity || v === -Infinity) inf++;
  }
  if (nan + inf > 0) {
    const parts = [nan ? `${nan} NaN` : '', inf ? `${inf} infinite` : ''].filter(Boolean).join(' and ');
    throw new SafetensorsError('non-finite', `${source}: tensor "${name}" holds ${parts} value${nan + inf === 1 ? '' : 's'} (of ${data.length}); the weights are corrupt or diverged`);
  }
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
  checkConfigAgainstFile(config, file, byName, options.configSource ?? 'config.json');
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
        checkFinite(data, raw, source);
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
