/**
 * Growing the per-node arrays of a tree being built: the trees, the growers and the split table
 * keep one typed array per node field, sized by the node count, and double them when it grows.
 */
export type NodeArray = Int32Array | Float64Array | Float32Array | Uint8Array;

/** A copy of `a` with room for `capacity` elements, of the same type; the new tail is zero. */
export function grown<T extends NodeArray>(a: T, capacity: number): T {
  const b = new (a.constructor as new (length: number) => T)(capacity);
  b.set(a);
  return b;
}
