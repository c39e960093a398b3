/**
 * γ pruning, as XGBoost's `prune` updater does it after the tree is grown: a split node whose two
 * children are leaves and whose loss reduction is below γ becomes a leaf (η·its base weight), and
 * the check repeats upwards. The removed children stay in the arrays, marked deleted, as in XGBoost.
 * Growing first and pruning afterwards is what lets a weak split survive when a split below it is
 * strong: only bottom-up chains of weak splits disappear.
 */
import type { RegTree } from './tree';

const f32 = Math.fround;

function depthOf(t: RegTree, nid: number): number {
  let depth = 0;
  while (nid !== 0) {
    nid = t.parent[nid];
    depth++;
  }
  return depth;
}

/** Prunes in place; returns the number of nodes deleted. `eta` and `gamma` are float32 values. */
export function pruneTree(t: RegTree, gamma: number, eta: number, maxDepth: number): number {
  let deleted = 0;
  const isLeaf = (nid: number) => t.left[nid] === -1;
  for (let nid = 0; nid < t.numNodes; nid++) {
    if (!isLeaf(nid) || t.deleted[nid]) continue;
    let node = nid;
    let depth = depthOf(t, nid);
    while (node !== 0) {
      const pid = t.parent[node];
      const l = t.left[pid];
      const r = t.right[pid];
      const balanced = isLeaf(l) && r !== -1 && isLeaf(r);
      const weak = t.lossChange[pid] < gamma || (maxDepth !== 0 && depth > maxDepth);
      if (!balanced || !weak) break;
      t.deleted[l] = 1;
      t.deleted[r] = 1;
      // XGBoost marks a deleted node by setting every bit of its split word (split index and
      // default-left bit); the JSON writer emits that marker, the reader maps it back to this.
      t.defaultLeft[l] = 1;
      t.defaultLeft[r] = 1;
      t.splitIndex[l] = 0;
      t.splitIndex[r] = 0;
      t.left[pid] = -1;
      t.right[pid] = -1;
      t.splitCondition[pid] = f32(eta * t.baseWeight[pid]);
      deleted += 2;
      node = pid;
      depth--;
    }
  }
  return deleted;
}
