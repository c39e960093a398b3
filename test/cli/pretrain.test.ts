import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { CliError } from '../../src/cli/args';
import { run } from '../../src/cli/commands/pretrain';
import { encodeSequenceFile } from '../../src/lib/pretrain/sequence-file';
import { initBackend } from '../../src/lib/runtime/backend.node.js';

// A further phase of the bundled model (128 positions) on sequences of 16 tokens: the way tweets
// continue it (scripts/pretrain/crisis-corpus.ts packs them to 64).
const MODEL = 'models/ts-bert-l4-h128';
const dir = mkdtempSync(join(tmpdir(), 'pretrain-cli-'));
beforeAll(() => initBackend('wasm'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function seqFile(name: string, length: number, count: number): string {
  const seqs = Array.from({ length: count }, (_, i) => [2, ...Array.from({ length: length - 2 }, (_, k) => 10 + ((i * 31 + k * 7) % 7000)), 3]);
  const path = join(dir, name);
  writeFileSync(path, encodeSequenceFile(seqs, 8000, length));
  return path;
}

describe('cli pretrain --init-from', () => {
  it('continues a model on sequences shorter than its positions and keeps its position table', async () => {
    const train = seqFile('train-16.seq', 16, 8);
    const heldout = seqFile('heldout-16.seq', 16, 4);
    const before = tf.memory().numTensors;
    const out = join(dir, 'model');
    const result = (await run([
      '--train', train, '--heldout', heldout, '--vocab', MODEL, '--init-from', MODEL, '--steps', '2', '--warmup', '1',
      '--batch-size', '4', '--micro-batch-size', '4', '--eval-every', '1', '--checkpoint-dir', join(dir, 'ckpt'), '--out', out,
    ])) as { complete: boolean; config: { max_position_embeddings: number }; };
    expect(result.complete).toBe(true);
    expect(result.config.max_position_embeddings).toBe(128);
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).max_position_embeddings).toBe(128);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('refuses sequences longer than the model has positions, at once', async () => {
    const train = seqFile('train-200.seq', 200, 2);
    await expect(run(['--train', train, '--heldout', train, '--vocab', MODEL, '--init-from', MODEL, '--steps', '1', '--checkpoint-dir', join(dir, 'ckpt2')]))
      .rejects.toThrow(CliError);
    await expect(run(['--train', train, '--heldout', train, '--vocab', MODEL, '--init-from', MODEL, '--steps', '1', '--checkpoint-dir', join(dir, 'ckpt2')]))
      .rejects.toThrow(/sequences of 200 tokens but --init-from has only 128 positions/);
  });
});
