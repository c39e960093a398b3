/**
 * A BERT held as tfjs variables keyed by their Hugging Face names (`bert.embeddings.word_embeddings.weight`,
 * …, `classifier.weight`), in HF shapes (linear weights [out, in]). The model owns its variables:
 * call `dispose()` when done.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from './config';
import { classifierShapes, encoderShapes, maskedLmShapes, poolerShapes, type ParamGroup } from './names';

export class BertModel {
  /** Notes from loading (e.g. "classifier missing: fresh init"); shown to the user. */
  readonly notes: string[];

  constructor(
    readonly config: BertConfig,
    readonly params: Map<string, tf.Variable>,
    notes: string[] = [],
  ) {
    this.notes = notes;
  }

  get(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`BERT parameter "${name}" is not in this model`);
    return v;
  }

  has(name: string): boolean {
    return this.params.has(name);
  }

  /** Whether every parameter of a group is present. */
  hasGroup(group: ParamGroup): boolean {
    const shapes =
      group === 'encoder' ? encoderShapes(this.config)
      : group === 'pooler' ? poolerShapes(this.config)
      : group === 'classifier' ? classifierShapes(this.config)
      : maskedLmShapes(this.config);
    return [...shapes.keys()].every((n) => this.params.has(n));
  }

  get numLayers(): number {
    return this.config.num_hidden_layers;
  }

  /** All variables in a stable (insertion) order, e.g. for an optimizer. */
  variables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Number of scalar parameters. */
  size(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Deep copy with fresh variables (the copy trains independently). */
  clone(): BertModel {
    const params = new Map<string, tf.Variable>();
    for (const [n, v] of this.params) params.set(n, tf.variable(v, true));
    return new BertModel(structuredClone(this.config), params, [...this.notes]);
  }

  /** Copies the values of one parameter out (HF name and shape). */
  async read(name: string): Promise<Float32Array> {
    return (await this.get(name).data()) as Float32Array;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}

/** Builds variables from named float32 arrays (shapes checked by the caller). */
export function variablesFrom(values: Map<string, { shape: number[]; data: Float32Array }>): Map<string, tf.Variable> {
  const params = new Map<string, tf.Variable>();
  for (const [name, { shape, data }] of values) {
    params.set(name, tf.tidy(() => tf.variable(tf.tensor(data, shape, 'float32'), true)));
  }
  return params;
}
