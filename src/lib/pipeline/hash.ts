/**
 * Short content hashes for the pipeline's consistency checks (is this the same base model, the same
 * spec?). cyrb53-style mixing over bytes, two 32-bit lanes: not cryptographic; a resumed experiment
 * only needs to notice an accidental change, not resist a forged one.
 */

export function bytesHash(...parts: readonly Uint8Array[]): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const bytes of parts) {
    for (let i = 0; i < bytes.length; i++) {
      h1 = Math.imul(h1 ^ bytes[i], 2654435761);
      h2 = Math.imul(h2 ^ bytes[i], 1597334677);
    }
    // Part separator, so ["ab", "c"] and ["a", "bc"] differ.
    h1 = Math.imul(h1 ^ 0x100, 2654435761);
    h2 = Math.imul(h2 ^ 0x100, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

export function textHash64(text: string): string {
  return bytesHash(new TextEncoder().encode(text));
}
