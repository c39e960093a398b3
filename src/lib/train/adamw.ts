/**
 * AdamW with the exact update of torch.optim.AdamW (torch 1.13, single param group), step t:
 *   p ← p·(1 − lr·wd)                                   decoupled decay, applied first
 *   m ← β1·m + (1−β1)·g ;  v ← β2·v + (1−β2)·g²
 *   p ← p − (lr/(1−β1^t)) · m / ( sqrt(v)/sqrt(1−β2^t) + eps )
 * Scalars are computed in float64 as torch does, then used in float32 ops. Optional: exclude biases
 * and LayerNorm weights from decay (the HF Trainer convention), global-norm gradient clipping.
 */
import * as tf from '@tensorflow/tfjs';
import { globalNorm } from './global-norm';

export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /**
   * Which parameters get weight decay. Default: all (torch's AdamW on model.parameters(), as the
   * fixture). Use `decayExceptBiasAndLayerNorm` for the HF Trainer convention.
   */
  decay?: (name: string) => boolean;
}

/** HF Trainer: no decay for biases and LayerNorm weights. */
export function decayExceptBiasAndLayerNorm(name: string): boolean {
  return !(/\.bias$/.test(name) || /LayerNorm\.weight$/.test(name) || name === 'cls.predictions.bias');
}

export interface StepResult {
  /** Loss of the forward pass whose gradients drove this step. */
  loss: number;
  /** Global L2 norm of the gradients before clipping (only computed when clipping). */
  gradNorm?: number;
}

/** One moment tensor, copied out of tfjs. */
export interface MomentData {
  shape: number[];
  data: Float32Array;
}

/**
 * Everything a resumed run needs to continue with the same updates: the step count (bias
 * correction) and both moments per parameter. Restarting with fresh moments changes every later
 * update, so a checkpoint must carry them.
 */
export interface AdamWState {
  step: number;
  /** Moments by HF parameter name (absent before the first step). */
  m: Map<string, MomentData>;
  v: Map<string, MomentData>;
}

export class AdamW {
  readonly options: Required<Omit<AdamWOptions, 'decay'>> & { decay: (name: string) => boolean };
  private t = 0;
  private readonly m = new Map<string, tf.Tensor>();
  private readonly v = new Map<string, tf.Tensor>();
  private readonly nameOf = new Map<string, string>();

  constructor(readonly params: Map<string, tf.Variable>, options: AdamWOptions) {
    if (!(options.lr >= 0)) throw new Error(`AdamW: lr must be ≥ 0, got ${options.lr}`);
    this.options = {
      lr: options.lr,
      beta1: options.beta1 ?? 0.9,
      beta2: options.beta2 ?? 0.999,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0.01,
      decay: options.decay ?? (() => true),
    };
    for (const [name, variable] of params) this.nameOf.set(variable.name, name);
  }

  get step(): number {
    return this.t;
  }

  /** Applies one update from gradients keyed by HF parameter name. `lr` overrides (schedules). */
  applyGradients(grads: Map<string, tf.Tensor>, lr = this.options.lr): void {
    const { beta1, beta2, eps, weightDecay, decay } = this.options;
    this.t += 1;
    const bc1 = 1 - beta1 ** this.t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.t);
    const stepSize = lr / bc1;
    const shrink = 1 - lr * weightDecay;
    for (const [name, g] of grads) {
      const p = this.params.get(name);
      if (!p) throw new Error(`AdamW: gradient for unknown parameter "${name}"`);
      const mOld = this.m.get(name);
      const vOld = this.v.get(name);
      const [mNew, vNew] = tf.tidy(() => {
        const m = mOld ? tf.add(tf.mul(mOld, beta1), tf.mul(g, 1 - beta1)) : tf.mul(g, 1 - beta1);
        const v = vOld ? tf.add(tf.mul(vOld, beta2), tf.mul(tf.square(g), 1 - beta2)) : tf.mul(tf.square(g), 1 - beta2);
        const decayed = decay(name) && weightDecay !== 0 ? tf.mul(p, shrink) : p;
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps);
        p.assign(tf.sub(decayed, tf.div(tf.mul(m, stepSize), denom)));
        return [m, v];
      });
      mOld?.dispose();
      vOld?.dispose();
      this.m.set(name, mNew);
      this.v.set(name, vNew);
    }
  }

  /**
   * Gradients of `lossFn` for every parameter, optional clipping to global norm `clipNorm`
   * (torch clip_grad_norm_: scale by clipNorm/(norm+1e-6) when that is < 1), then the update.
   */
  async minimize(lossFn: () => tf.Scalar, opts: { lr?: number; clipNorm?: number } = {}): Promise<StepResult> {
    const vars = [...this.params.values()];
    const { value, grads } = tf.variableGrads(lossFn, vars);
    const byName = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) {
      const name = this.nameOf.get(varName);
      if (name === undefined) throw new Error(`AdamW: gradient for a variable outside the model (${varName})`);
      byName.set(name, g);
    }
    let gradNorm: number | undefined;
    try {
      if (opts.clipNorm !== undefined && opts.clipNorm > 0) {
        const normT = globalNorm([...byName.values()]);
        gradNorm = (await normT.data())[0];
        normT.dispose();
        const coef = opts.clipNorm / (gradNorm + 1e-6);
        if (coef < 1) {
          for (const [name, g] of byName) {
            byName.set(name, tf.mul(g, coef));
            g.dispose();
          }
        }
      }
      this.applyGradients(byName, opts.lr);
      const loss = (await value.data())[0];
      return gradNorm === undefined ? { loss } : { loss, gradNorm };
    } finally {
      value.dispose();
      for (const g of byName.values()) g.dispose();
    }
  }

  /** A copy of the step count and the moments (see AdamWState). */
  async exportState(): Promise<AdamWState> {
    const read = async (src: Map<string, tf.Tensor>) => {
      const out = new Map<string, MomentData>();
      for (const [name, t] of src) out.set(name, { shape: [...t.shape], data: (await t.data()) as Float32Array });
      return out;
    };
    return { step: this.t, m: await read(this.m), v: await read(this.v) };
  }

  /**
   * Replaces the state (freeing the tensors it held) with copies of `state`. Checks everything
   * before changing anything: a bad state leaves the optimizer as it was.
   */
  importState(state: AdamWState): void {
    for (const [moment, byName] of [['m', state.m], ['v', state.v]] as const) {
      for (const [param, { shape, data }] of byName) {
        const p = this.params.get(param);
        if (!p) throw new Error(`AdamW state: moment ${moment} of unknown parameter "${param}"`);
        if (p.shape.join() !== shape.join()) throw new Error(`AdamW state: moment ${moment} of "${param}" has shape [${shape}], the parameter [${p.shape}]`);
        if (data.length !== p.size) throw new Error(`AdamW state: moment ${moment} of "${param}" has ${data.length} values, the parameter ${p.size}`);
      }
    }
    if (!(Number.isInteger(state.step) && state.step >= 0)) throw new Error(`AdamW state: step must be a non-negative integer, got ${state.step}`);
    this.dispose();
    for (const [name, { shape, data }] of state.m) this.m.set(name, tf.tensor(data, shape, 'float32'));
    for (const [name, { shape, data }] of state.v) this.v.set(name, tf.tensor(data, shape, 'float32'));
    this.t = state.step;
  }

  /** Frees the moment estimates. The parameters belong to the model. */
  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
