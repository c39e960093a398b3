/**
 * A short, stable fingerprint of a document's text, for attribution-cache keys when a document has
 * no id of its own. Synchronous and dependency-free (crypto.subtle exists only in secure contexts,
 * and a worker opened from a plain-http demo URL is not one). 64 bits from two independently
 * seeded 32-bit FNV-1a-style lanes over the UTF-16 code units, plus the length: collisions between
 * the few thousand documents of an experiment are negligible (~n²/2⁶⁵).
 */
export function textHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  // Final avalanche so similar texts differ in every hex digit.
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35) ^ (h1 >>> 16);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35) ^ (h2 >>> 16);
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
  return `${hex(h1)}${hex(h2)}-${text.length}`;
}
