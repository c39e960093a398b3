/**
 * Reading and restoring the state of `AdamW` (src/lib/train/adamw.ts): step count and first/second
 * moments per parameter. A resumable pretraining run must checkpoint them — restarting with fresh
 * moments changes every later update — but AdamW keeps them private and offers no export (it is
 * outside this area). This file reaches into those fields in one place, and checks their shape at
 * run time so that a change in AdamW fails loudly here instead of resuming wrongly.
 * TODO(train owner): an `AdamW.exportState()/importState()` would make this file unnecessary.
 */
import * as tf from '@tensorflow/tfjs';
import type { AdamW } from '../train/adamw';

interface AdamWInternals {
  t: number;
  m: Map<string, tf.Tensor>;
  v: Map<string, tf.Tensor>;
}

function internals(optimizer: AdamW): AdamWInternals {
  const o = optimizer as unknown as Partial<AdamWInternals>;
  if (typeof o.t !== 'number' || !(o.m instanceof Map) || !(o.v instanceof Map)) {
    throw new Error('AdamW no longer keeps its state in fields t, m and v: update src/lib/pretrain/adamw-state.ts');
  }
  return o as AdamWInternals;
}

export interface AdamWState {
  step: number;
  /** Moments by HF parameter name (absent before the first step). */
  m: Map<string, { shape: number[]; data: Float32Array }>;
  v: Map<string, { shape: number[]; data: Float32Array }>;
}

export async function exportAdamWState(optimizer: AdamW): Promise<AdamWState> {
  const s = internals(optimizer);
  const read = async (src: Map<string, tf.Tensor>) => {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, t] of src) out.set(name, { shape: [...t.shape], data: (await t.data()) as Float32Array });
    return out;
  };
  return { step: s.t, m: await read(s.m), v: await read(s.v) };
}

/** Replaces the optimizer's state (freeing what it held) with copies of `state`. */
export function importAdamWState(optimizer: AdamW, state: AdamWState): void {
  const s = internals(optimizer);
  for (const [name, mv] of [['m', state.m], ['v', state.v]] as const) {
    for (const [param, { shape }] of mv) {
      const p = optimizer.params.get(param);
      if (!p) throw new Error(`AdamW state: moment ${name} of unknown parameter "${param}"`);
      if (p.shape.join() !== shape.join()) throw new Error(`AdamW state: moment ${name} of "${param}" has shape [${shape}], the parameter [${p.shape}]`);
    }
  }
  if (!(Number.isInteger(state.step) && state.step >= 0)) throw new Error(`AdamW state: step must be a non-negative integer, got ${state.step}`);
  for (const t of s.m.values()) t.dispose();
  for (const t of s.v.values()) t.dispose();
  s.m.clear();
  s.v.clear();
  for (const [name, { shape, data }] of state.m) s.m.set(name, tf.tensor(data, shape, 'float32'));
  for (const [name, { shape, data }] of state.v) s.v.set(name, tf.tensor(data, shape, 'float32'));
  s.t = state.step;
}
