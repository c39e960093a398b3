import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetFingerprint } from '../../../src/lib/data/fingerprint';
import type { Dataset } from '../../../src/lib/data/schema';
import { bytesHash, ContentHasher, textHash } from '../../../src/lib/util/hash';

interface StoredHashes {
  bytesHash: { parts: string[]; hash: string }[];
  bytesHashBinary: { bytes: number[]; hash: string };
  datasetFingerprint: { dataset: Dataset; fingerprint: string }[];
}
const stored = JSON.parse(readFileSync(new URL('../../fixtures/hash/stored-hashes.json', import.meta.url), 'utf8')) as StoredHashes;
const encode = (text: string) => new TextEncoder().encode(text);

describe('the one content hash', () => {
  it('gives the ids and fingerprints earlier versions stored, bit for bit', () => {
    for (const { parts, hash } of stored.bytesHash) expect(bytesHash(...parts.map(encode)), JSON.stringify(parts)).toBe(hash);
    const binary = Uint8Array.from(stored.bytesHashBinary.bytes);
    expect(bytesHash(binary, binary.subarray(0, 7))).toBe(stored.bytesHashBinary.hash);
    for (const { dataset, fingerprint } of stored.datasetFingerprint) expect(datasetFingerprint(dataset), dataset.name).toBe(fingerprint);
  });

  it('separates parts: ["ab", "c"] and ["a", "bc"] differ', () => {
    expect(bytesHash(encode('ab'), encode('c'))).not.toBe(bytesHash(encode('a'), encode('bc')));
  });

  it('hashes texts stably and distinctly, as their UTF-8 bytes', () => {
    expect(textHash('flood')).toBe(textHash('flood'));
    expect(textHash('flood')).toMatch(/^[0-9a-f]{16}$/);
    expect(textHash('überschwemmung 🌊')).toBe(bytesHash(encode('überschwemmung 🌊')));
    const hashes = new Set(['flood', 'flooe', 'Flood', 'flood ', '', 'a'.repeat(1000), 'a'.repeat(1001)].map(textHash));
    expect(hashes.size).toBe(7);
  });

  it('feeds bytes and code units as the same units', () => {
    // ASCII text: its bytes and its UTF-16 code units are the same numbers.
    expect(new ContentHasher().codeUnits('abc').digest()).toBe(new ContentHasher().bytes(encode('abc')).digest());
    expect(new ContentHasher().codeUnits('abd').digest()).not.toBe(new ContentHasher().codeUnits('abc').digest());
  });
});
