/**
 * Best-split bookkeeping per node, in flat typed arrays indexed by node id, with XGBoost's
 * replacement rule (SplitEntry::NeedReplace): a candidate from a feature with an index at least the
 * current best's wins only with a strictly larger loss change; one from a lower index wins ties.
 * With features scanned in increasing order this means: first best wins ties, and within one
 * feature the first candidate met in scan order (the larger threshold, scanning down) wins.
 */
import { grown } from './grown';

export class SplitEntries {
  loss = new Float64Array(0);
  feature = new Int32Array(0);
  value = new Float32Array(0);
  defaultLeft = new Uint8Array(0);
  /** hist only: the bin index the split sits after (rows with bin ≤ it go left); −1: all present right. */
  bin = new Int32Array(0);
  /** hist only: gradient/hessian sums of the left and right child. */
  leftG = new Float64Array(0);
  leftH = new Float64Array(0);
  rightG = new Float64Array(0);
  rightH = new Float64Array(0);

  ensure(capacity: number): void {
    if (this.loss.length >= capacity) return;
    const n = Math.max(capacity, this.loss.length * 2);
    this.loss = grown(this.loss, n);
    this.feature = grown(this.feature, n);
    this.value = grown(this.value, n);
    this.defaultLeft = grown(this.defaultLeft, n);
    this.bin = grown(this.bin, n);
    this.leftG = grown(this.leftG, n);
    this.leftH = grown(this.leftH, n);
    this.rightG = grown(this.rightG, n);
    this.rightH = grown(this.rightH, n);
  }

  reset(nid: number): void {
    this.loss[nid] = 0;
    this.feature[nid] = 0;
    this.value[nid] = 0;
    this.defaultLeft[nid] = 0;
    this.bin[nid] = 0;
  }

  /** Offers a candidate; returns true when it became the node's best. */
  offer(nid: number, loss: number, feature: number, value: number, defaultLeft: boolean): boolean {
    // XGBoost rejects ±inf (and NaN never compares greater).
    if (loss === Infinity || loss === -Infinity) return false;
    const replace = this.feature[nid] <= feature ? loss > this.loss[nid] : !(this.loss[nid] > loss);
    if (!replace) return false;
    this.loss[nid] = loss;
    this.feature[nid] = feature;
    this.value[nid] = value;
    this.defaultLeft[nid] = defaultLeft ? 1 : 0;
    return true;
  }
}
