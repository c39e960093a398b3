/**
 * The project's one content hash: short, stable, synchronous and dependency-free (crypto.subtle
 * exists only in secure contexts, and a worker opened from a plain-http demo URL is not one).
 * cyrb53-style mixing: two multiplicative 32-bit lanes, cross-mixed at the end, so every bit of the
 * 64-bit result depends on the whole input. Not cryptographic: it notices an accidental change (is
 * this the same base model, the same data, the same spec?), it does not resist a forged one.
 *
 * Stored ids depend on the exact output (an experiment's id is the hash of its spec, a model's and a
 * data set's fingerprints are kept in the experiment record and checked on resume), so the seeds,
 * multipliers and separators below never change: test/fixtures/hash/stored-hashes.json holds the
 * values earlier versions stored.
 */

/** Fed one 32-bit unit at a time (a byte, a UTF-16 code unit or a separator); `digest` gives 16 hex digits. */
export class ContentHasher {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  unit(c: number): this {
    this.h1 = Math.imul(this.h1 ^ c, 2654435761);
    this.h2 = Math.imul(this.h2 ^ c, 1597334677);
    return this;
  }

  bytes(bytes: Uint8Array): this {
    for (let i = 0; i < bytes.length; i++) this.unit(bytes[i]);
    return this;
  }

  /** The UTF-16 code units of `text` (no encoding step: cheap on large data sets). */
  codeUnits(text: string): this {
    for (let i = 0; i < text.length; i++) this.unit(text.charCodeAt(i));
    return this;
  }

  digest(): string {
    let { h1, h2 } = this;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}

/** A byte part's separator: above every byte, so ["ab", "c"] and ["a", "bc"] differ. */
const BYTE_PART_SEPARATOR = 0x100;

/** Hash of byte strings (file contents, encoded JSON), each part closed by a separator. */
export function bytesHash(...parts: readonly Uint8Array[]): string {
  const hasher = new ContentHasher();
  for (const bytes of parts) hasher.bytes(bytes).unit(BYTE_PART_SEPARATOR);
  return hasher.digest();
}

/** Hash of a text (its UTF-8 bytes, as one part of `bytesHash`): e.g. a document's id when it has none. */
export function textHash(text: string): string {
  return bytesHash(new TextEncoder().encode(text));
}
