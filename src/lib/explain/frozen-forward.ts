/**
 * The BERT classifier forward pass of bert/forward.ts, specialised for attribution: the weights are
 * constants, so the backward pass computes gradients with respect to activations only.
 *
 * Why a second forward: bert/ops.ts's `linear` and `layerNorm` are `tf.customGrad` ops whose
 * gradient function returns the input AND the weight gradients, and tfjs evaluates a customGrad's
 * gradient function whole, even when the tape does not need the weight gradients. For conductance
 * (∂F/∂h_l, no weight gradient) that doubles the matmul work of the backward pass: dW = dyᵀ·x costs
 * as much as dx = dy·W. Here each op closes over its weights and has only its input as a
 * differentiable argument, and the transposed weights are prepared once per document instead of
 * once per forward.
 *
 * Same math as bert/forward.ts (checked against the fixtures and against classifyFromEmbeds in the
 * tests): post-LN encoder, no attention mask (one unpadded sequence), token type 0, positions
 * 0..T-1, no dropout. `layerAdds[l]` is added to h_l exactly as there.
 *
 * The last encoder layer runs its query, attention, and feed-forward for [CLS] only: the pooler
 * reads nothing else, so F does not depend on h_{L-1} at other positions (their conductance is
 * exactly 0, which `hidden[L-1]` reflects by being [B, 1, H]). Keys and values still use every
 * position.
 */
import * as tf from '@tensorflow/tfjs';
import { headSize } from '../bert/config';
import { classifierLogits, pool } from '../bert/forward';
import type { BertModel } from '../bert/model';
import { EMB, layerPrefix } from '../bert/names';
import { activation, batchMatMul } from '../bert/ops';
import type { AttributionForward } from './attribution-forward';

type UnaryOp = (x: tf.Tensor2D) => tf.Tensor2D;
type CustomBody = Parameters<typeof tf.customGrad>[0];

/** tf.customGrad for a one-input op; tfjs' typings do not name the `save` argument's type. */
function unaryCustomOp(body: (x: tf.Tensor2D, save: tf.GradSaveFunc) => { value: tf.Tensor2D; gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => tf.Tensor2D }): UnaryOp {
  return tf.customGrad(body as unknown as CustomBody) as unknown as UnaryOp;
}

/** x·Wᵀ + b with W [out, in] fixed; backward dx = dy·W (no transpose: the fast wasm matmul path). */
function frozenLinear(w: tf.Tensor2D, wT: tf.Tensor2D, b: tf.Tensor1D): UnaryOp {
  return unaryCustomOp((x) => ({
    value: tf.fused.matMul({ a: x, b: wT, bias: b }) as tf.Tensor2D,
    gradFunc: (dy) => tf.matMul(dy, w),
  }));
}

/** LayerNorm over the last axis (biased variance) with fixed γ, β; closed-form dx only. */
function frozenLayerNorm(gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): UnaryOp {
  return unaryCustomOp((x, save) => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), eps));
    const xhat = tf.mul(centered, rstd) as tf.Tensor2D;
    save([xhat, rstd]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy, saved) => {
        const [sxhat, srstd] = saved;
        const dxhat = tf.mul(dy, gamma);
        return tf.mul(srstd, tf.sub(tf.sub(dxhat, tf.mean(dxhat, -1, true)), tf.mul(sxhat, tf.mean(tf.mul(dxhat, sxhat), -1, true)))) as tf.Tensor2D;
      },
    };
  });
}

interface FrozenLayer {
  /** Q, K and V of all positions from one fused linear, features ordered (q|k|v, head, d). */
  qkv: UnaryOp;
  /** K and V only (the last layer, whose queries are needed at [CLS] alone). */
  kv: UnaryOp;
  q: UnaryOp;
  attnOut: UnaryOp;
  ln1: UnaryOp;
  ffnIn: UnaryOp;
  ffnOut: UnaryOp;
  ln2: UnaryOp;
}

/**
 * The model's weights arranged for frozen forwards (concatenated, transposed). Holds tensors:
 * `dispose()` when the document (or batch of documents) is done.
 */
export class FrozenBert implements AttributionForward {
  private readonly owned: tf.Tensor[] = [];
  private readonly layers: FrozenLayer[] = [];

  constructor(readonly model: BertModel) {
    const c = model.config;
    tf.tidy(() => {
      const keep = <T extends tf.Tensor>(t: T): T => {
        this.owned.push(tf.keep(t));
        return t;
      };
      const lin = (w: tf.Tensor, b: tf.Tensor) => {
        const w2 = w as tf.Tensor2D;
        return frozenLinear(w2, keep(tf.transpose(w2)), b as tf.Tensor1D);
      };
      for (let l = 0; l < c.num_hidden_layers; l++) {
        const g = (n: string) => model.get(`${layerPrefix(l)}.${n}`);
        const wQ = g('attention.self.query.weight');
        const wKv = keep(tf.concat([g('attention.self.key.weight'), g('attention.self.value.weight')], 0));
        const bKv = keep(tf.concat([g('attention.self.key.bias'), g('attention.self.value.bias')], 0));
        const wQkv = keep(tf.concat([wQ, wKv], 0));
        const bQkv = keep(tf.concat([g('attention.self.query.bias'), bKv], 0));
        const ln = (n: string) => frozenLayerNorm(g(`${n}.weight`) as tf.Tensor1D, g(`${n}.bias`) as tf.Tensor1D, c.layer_norm_eps);
        this.layers.push({
          qkv: lin(wQkv, bQkv),
          kv: lin(wKv, bKv),
          q: lin(wQ, g('attention.self.query.bias')),
          attnOut: lin(g('attention.output.dense.weight'), g('attention.output.dense.bias')),
          ln1: ln('attention.output.LayerNorm'),
          ffnIn: lin(g('intermediate.dense.weight'), g('intermediate.dense.bias')),
          ffnOut: lin(g('output.dense.weight'), g('output.dense.bias')),
          ln2: ln('output.LayerNorm'),
        });
      }
    });
  }

  hiddenRows(layer: number, T: number): number {
    return layer === this.model.config.num_hidden_layers - 1 ? 1 : T;
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    this.owned.length = 0;
  }

  /** (x + token_type[0]) + position[0..T-1] → LayerNorm, as [B·T, H]. Not differentiated. */
  private embeddings(inputsEmbeds: tf.Tensor3D): tf.Tensor2D {
    const m = this.model;
    const [B, T, H] = inputsEmbeds.shape;
    const tokenType = tf.slice(m.get(`${EMB}.token_type_embeddings.weight`), [0, 0], [1, H]);
    const position = tf.slice(m.get(`${EMB}.position_embeddings.weight`), [0, 0], [T, H]);
    const summed = tf.add(tf.add(inputsEmbeds, tokenType), position).reshape([B * T, H]);
    const mean = tf.mean(summed, -1, true);
    const centered = tf.sub(summed, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), -1, true), m.config.layer_norm_eps));
    return tf.add(tf.mul(tf.mul(centered, rstd), m.get(`${EMB}.LayerNorm.weight`)), m.get(`${EMB}.LayerNorm.bias`));
  }

  /**
   * Logits [B, labels] and h_0 … h_{L-1} (h_l [B, T, H], except h_{L-1} [B, 1, H]: [CLS] only).
   * `layerAdds[l]` must have h_l's shape. Call inside tf.tidy / tf.grads.
   */
  classify(inputsEmbeds: tf.Tensor3D, layerAdds: readonly (tf.Tensor | null | undefined)[] = []): { logits: tf.Tensor2D; hidden: tf.Tensor3D[] } {
    const c = this.model.config;
    const L = c.num_hidden_layers;
    const [B, T, H] = inputsEmbeds.shape;
    if (H !== c.hidden_size) throw new Error(`inputsEmbeds hidden size ${H} differs from the model's ${c.hidden_size}`);
    if (T > c.max_position_embeddings) throw new Error(`sequence length ${T} exceeds max_position_embeddings ${c.max_position_embeddings}`);
    let x = this.embeddings(inputsEmbeds);
    const hidden: tf.Tensor3D[] = [];
    for (let l = 0; l < L; l++) {
      const last = l === L - 1;
      const rows = last ? 1 : T;
      x = this.encoderLayer(l, x, B, T, last);
      const add = layerAdds[l];
      if (add) x = tf.add(x, add.reshape([B * rows, H]));
      hidden.push(x.reshape([B, rows, H]));
    }
    const logits = classifierLogits(this.model, pool(this.model, hidden[L - 1]));
    return { logits, hidden };
  }

  /** One post-LN encoder layer on x [B·T, H]; with `clsOnly`, the output is [B·1, H] ([CLS] rows). */
  private encoderLayer(l: number, x: tf.Tensor2D, B: number, T: number, clsOnly: boolean): tf.Tensor2D {
    const c = this.model.config;
    const H = c.hidden_size;
    const nh = c.num_attention_heads;
    const dh = headSize(c);
    const f = this.layers[l];
    const Tq = clsOnly ? 1 : T;
    let q: tf.Tensor;
    let k: tf.Tensor;
    let v: tf.Tensor;
    let residual: tf.Tensor2D;
    if (clsOnly) {
      const kv = f.kv(x).reshape([B, T, 2 * nh, dh]).transpose([0, 2, 1, 3]); // [B, 2·nh, T, dh]
      residual = tf.slice(x.reshape([B, T, H]), [0, 0, 0], [B, 1, H]).reshape([B, H]);
      q = f.q(residual).reshape([B, 1, nh, dh]).transpose([0, 2, 1, 3]);
      k = tf.slice(kv, [0, 0, 0, 0], [B, nh, T, dh]);
      v = tf.slice(kv, [0, nh, 0, 0], [B, nh, T, dh]);
    } else {
      const qkv = f.qkv(x).reshape([B, T, 3 * nh, dh]).transpose([0, 2, 1, 3]); // [B, 3·nh, T, dh]
      const part = (i: number) => tf.slice(qkv, [0, i * nh, 0, 0], [B, nh, T, dh]);
      [q, k, v] = [part(0), part(1), part(2)];
      residual = x;
    }
    const q3 = q.reshape([B * nh, Tq, dh]) as tf.Tensor3D;
    const k3 = k.reshape([B * nh, T, dh]) as tf.Tensor3D;
    const v3 = v.reshape([B * nh, T, dh]) as tf.Tensor3D;
    // batchMatMul: bert/ops' attention product (per-batch XNNPACK calls on wasm when worth it).
    const probs = tf.softmax(tf.div(batchMatMul(q3, tf.transpose(k3, [0, 2, 1])), Math.sqrt(dh)), -1) as tf.Tensor3D;
    const context = batchMatMul(probs, v3) // [B·nh, Tq, dh]
      .reshape([B, nh, Tq, dh])
      .transpose([0, 2, 1, 3])
      .reshape([B * Tq, H]) as tf.Tensor2D;
    const a = f.ln1(tf.add(f.attnOut(context), residual) as tf.Tensor2D);
    const inter = activation(f.ffnIn(a), c.hidden_act) as tf.Tensor2D;
    return f.ln2(tf.add(f.ffnOut(inter), a) as tf.Tensor2D);
  }
}
