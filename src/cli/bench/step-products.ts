/**
 * The matrix products of one BERT training step, timed alone: a floor under our step time. Why: if
 * the products alone take longer than PyTorch's whole step times 1/r, no work on the other kernels
 * can bring the step to r× PyTorch; `npm run bench -- train` prints that ceiling beside the measured
 * ratio, so a speed goal can be checked against what the backend's matmul allows.
 *
 * The list mirrors src/lib/bert/ops.ts on wasm: every product a 2-D one on XNNPACK's fast path
 * (operands transposed beforehand), attention as one product per sequence and head. Per layer, for
 * N = batch·seq tokens: query/key/value (one [N,H]·[H,3H]), attention output [N,H]·[H,H], the two
 * feed-forward products [N,H]·[H,I] and [N,I]·[I,H]; each also twice in the backward pass (dx, dW);
 * per sequence and head, scores [T,d]·[d,T] and context [T,T]·[T,d], each three times (forward and
 * two gradients). The pooler and classifier (a few thousand values) are left out.
 */
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../../lib/bert/config';

export interface Product { m: number; k: number; n: number; count: number }

export function stepProducts(c: BertConfig, batch: number, seq: number): Product[] {
  const N = batch * seq;
  const H = c.hidden_size;
  const I = c.intermediate_size;
  const d = H / c.num_attention_heads;
  const L = c.num_hidden_layers;
  const dense = (a: number, b: number): Product[] => [
    { m: N, k: a, n: b, count: L }, // forward
    { m: N, k: b, n: a, count: L }, // dx = dy·W
    { m: b, k: N, n: a, count: L }, // dW = dyᵀ·x
  ];
  const perHead = batch * c.num_attention_heads * L;
  return [
    ...dense(H, 3 * H),
    ...dense(H, H),
    ...dense(H, I),
    ...dense(I, H),
    { m: seq, k: d, n: seq, count: 3 * perHead },
    { m: seq, k: seq, n: d, count: 3 * perHead },
  ];
}

export interface ProductTiming {
  products: number;
  gflop: number;
  /** Best of `rounds` runs over the whole list. */
  ms: number;
  gflop_per_s: number;
}

/** Runs every product of the list on the current backend, `rounds` times; the fastest round. */
export function timeProducts(list: Product[], rounds = 3): ProductTiming {
  const operands = list.map((p) => [tf.randomNormal([p.m, p.k]), tf.randomNormal([p.k, p.n])] as const);
  let best = Infinity;
  try {
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      list.forEach((p, i) => {
        for (let j = 0; j < p.count; j++) tf.matMul(operands[i][0], operands[i][1]).dispose();
      });
      best = Math.min(best, performance.now() - t0);
    }
  } finally {
    tf.dispose(operands.flat());
  }
  const flop = list.reduce((s, p) => s + 2 * p.m * p.k * p.n * p.count, 0);
  return {
    products: list.reduce((s, p) => s + p.count, 0),
    gflop: Math.round(flop / 1e7) / 100,
    ms: Math.round(best * 10) / 10,
    gflop_per_s: Math.round(flop / best / 1e5) / 10,
  };
}
