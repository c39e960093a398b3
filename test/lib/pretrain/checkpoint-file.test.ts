import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkpointPath, readCheckpoint, writeFileAtomic } from '../../../src/lib/pretrain/checkpoint-file.node';

describe('checkpoint files', () => {
  it('replaces the checkpoint atomically and leaves no temporary file', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'ckpt-')), 'nested');
    expect(readCheckpoint(dir)).toBeNull();
    writeFileAtomic(checkpointPath(dir), Uint8Array.from([1, 2, 3]));
    writeFileAtomic(checkpointPath(dir), Uint8Array.from([4, 5]));
    expect(Array.from(readCheckpoint(dir)!)).toEqual([4, 5]);
    expect(readdirSync(dir)).toEqual(['latest.safetensors']);
  });
});
