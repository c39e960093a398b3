/**
 * Achieved GFLOP/s of a float32 N×N×N matmul on the current tfjs backend: the number that says how
 * much of the hardware the backend reaches, independent of BERT. Products are queued back to back
 * and the clock stops at a read of the last one (the GPU queue runs in order), so the time is the
 * GPU's, not the cost of one read per product.
 */
import * as tf from '@tensorflow/tfjs';

export interface MatmulResult { n: number; reps: number; ms_per_matmul: number; gflops: number }

export async function matmulThroughput(n: number, minMs = 300, maxReps = 200): Promise<MatmulResult> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  try {
    const run = async (reps: number) => {
      const t0 = performance.now();
      let last: tf.Tensor | undefined;
      for (let i = 0; i < reps; i++) {
        last?.dispose();
        last = tf.matMul(a, b);
      }
      const corner = tf.slice(last!, [0, 0], [1, 1]);
      await corner.data();
      tf.dispose([corner, last!]);
      return performance.now() - t0;
    };
    await run(2); // pipeline compilation, buffer pool growth
    // Pick the repetition count from one timed product, so slow adapters finish in seconds.
    const one = await run(1);
    const reps = Math.max(1, Math.min(maxReps, Math.ceil(minMs / Math.max(one, 0.01))));
    const ms = (await run(reps)) / reps;
    const flop = 2 * n ** 3;
    return { n, reps, ms_per_matmul: Math.round(ms * 1000) / 1000, gflops: Math.round((flop / (ms * 1e6)) * 10) / 10 };
  } finally {
    tf.dispose([a, b]);
  }
}
