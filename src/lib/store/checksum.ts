/**
 * Content checksums of stored records: SHA-256 (@noble/hashes: audited, synchronous, the same in
 * the browser, the worker and Node). Synchronous on purpose: IndexedDB commits a transaction as
 * soon as it awaits anything else, so an async WebCrypto digest could not run inside `update`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** The schema version from which every record carries a checksum (schema.ts). */
export const CHECKSUM_SCHEMA_VERSION = 3;

/** Hex SHA-256 of the concatenation of `parts`. */
export function sha256Hex(...parts: Uint8Array[]): string {
  const h = sha256.create();
  for (const p of parts) h.update(p);
  return bytesToHex(h.digest());
}

/** The raw 32-byte digest of the concatenation of `parts`. */
export function sha256Bytes(...parts: Uint8Array[]): Uint8Array {
  const h = sha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
