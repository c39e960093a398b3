/**
 * Measures MLM pretraining throughput (tokens/s on the wasm backend) of candidate model shapes, to
 * choose the bundled model's shape within the time budget, and the classifier fine-tuning step time
 * of each shape (what every downstream user pays):
 *
 *   npx tsx scripts/pretrain/throughput.ts [--seconds 60] [--batch-size 32] [--micro-batch-size 16] [--shapes 128x4,256x4]
 *        [--train .pretrain/train-128.seq]
 *
 * A shape "HxL" is hidden H, L layers, H/64 heads, intermediate 4H, vocab of the sequence file.
 * Prints JSON; benchmarks never assert timings.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { parseArgs } from '../../src/cli/args';
import { runScript } from '../run-script';
import { batchTensors } from '../../src/lib/bert/batch';
import { createBertModel } from '../../src/lib/bert/init';
import { initBackend } from '../../src/lib/runtime/backend.node.js';
import { decodeSequenceFile } from '../../src/lib/pretrain/sequence-file';
import { AdamW, decayExceptBiasAndLayerNorm } from '../../src/lib/train/adamw';
import { classificationLoss } from '../../src/lib/train/loss';
import { Pretrainer, DEFAULT_SETTINGS } from '../../src/lib/pretrain/pretrainer';
import { bundledConfig, maskingFor } from '../../src/lib/pretrain/model-config';

async function main(argv: string[]) {
  const args = parseArgs(argv, ['seconds', 'batch-size', 'micro-batch-size', 'shapes', 'train', 'vocab']);
  await initBackend('wasm');
  const seconds = args.number('seconds', 60);
  const batchSize = args.int('batch-size', 32);
  const microBatchSize = args.int('micro-batch-size', 16);
  const data = decodeSequenceFile(new Uint8Array(readFileSync(args.get('train') ?? '.pretrain/train-128.seq')));
  const vocab = readFileSync(`${args.get('vocab') ?? '.pretrain/vocab'}/vocab.txt`, 'utf8').split('\n').filter(Boolean);
  const results = [];
  for (const shape of (args.get('shapes') ?? '128x4,256x4').split(',')) {
    const [hidden, layers] = shape.split('x').map(Number);
    const config = bundledConfig({ hidden, layers, vocabSize: data.vocabSize, maxLength: data.maxLength });
    const trainer = Pretrainer.create(config, { ...DEFAULT_SETTINGS, batchSize, microBatchSize, totalSteps: 1_000_000, warmupSteps: 10, masking: maskingFor(vocab) }, data);
    await trainer.step(); // warm-up: kernels, allocations
    const t0 = performance.now();
    let tokens = 0;
    let steps = 0;
    while (performance.now() - t0 < seconds * 1000) {
      tokens += (await trainer.step()).tokens;
      steps++;
    }
    const ms = performance.now() - t0;
    const params = trainer.model.size();
    trainer.dispose();

    // Fine-tuning step of a classifier of this shape: batch 16 × 64 tokens (a short-text task).
    const clf = createBertModel(config, { seed: 1 });
    const opt = new AdamW(clf.params, { lr: 1e-4, decay: decayExceptBiasAndLayerNorm });
    const seqs = Array.from({ length: 16 }, (_, i) => Array.from(data.get(i).subarray(0, 64)));
    const { inputIds, attentionMask } = batchTensors(seqs);
    const labels = tf.tensor1d(seqs.map((_, i) => i % 2), 'int32');
    await opt.minimize(() => classificationLoss(clf, { inputIds, attentionMask, labels }), { clipNorm: 1 });
    const f0 = performance.now();
    const ftSteps = 10;
    for (let i = 0; i < ftSteps; i++) await opt.minimize(() => classificationLoss(clf, { inputIds, attentionMask, labels }), { clipNorm: 1 });
    const ftMs = (performance.now() - f0) / ftSteps;
    tf.dispose([inputIds, attentionMask, labels]);
    opt.dispose();
    clf.dispose();

    results.push({
      shape: { hidden, layers, heads: config.num_attention_heads, intermediate: config.intermediate_size },
      parameters: params,
      mlm: { batchSize, microBatchSize, steps, seconds: ms / 1000, msPerStep: ms / steps, tokensPerSecond: tokens / (ms / 1000) },
      fineTuneStepMs_batch16_len64: ftMs,
    });
  }
  return { backend: tf.getBackend(), results, numTensorsAtEnd: tf.memory().numTensors };
}

runScript(import.meta.url, main);
