/**
 * Fit and predict time of the boosted trees, exact and hist, on synthetic regression data.
 *
 *   npm run bench -- gbdt [--sizes 10000x20,100000x50] [--methods exact,hist] [--rounds 100]
 *                         [--depth 6] [--eta 0.3] [--max-bin 256] [--repeats 1] [--xgboost]
 *
 * `--xgboost` also runs scripts/bench/xgboost_hist.py (Debian's python3-xgboost) on the same data and
 * puts its numbers beside ours. Prints JSON; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from '../args';
import { fitGbdt, rmse } from '../../lib/gbdt/fit';
import { predictGbdt } from '../../lib/gbdt/predict';

const FEATURE_SALT = 0x01234567;
const NOISE_SALT = 0x089abcde;

/** Chris Wellons' lowbias32 integer hash: a counter-based generator numpy can reproduce exactly. */
function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Uniform in [0, 1) with 24 bits, so exactly representable in float32. */
function uniform(i: number, salt: number): number {
  return (lowbias32((i + salt) >>> 0) >>> 8) / 16777216;
}

/**
 * y = 4·x0·x1 + 3·[x2 > 0.5] + 2·x3² − x4 + 2·(x5 − 0.5)·x6 + noise, features uniform in [0, 1);
 * the rest are noise features. Same definition as scripts/bench/xgboost_hist.py.
 */
export function syntheticData(n: number, d: number): { X: Float32Array; y: Float32Array; checksum: number } {
  if (d < 6) throw new Error('syntheticData: needs at least 6 features');
  const X = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) X[i] = uniform(i, FEATURE_SALT);
  const y = new Float32Array(n);
  let checksum = 0;
  for (let r = 0; r < n; r++) {
    const x = (j: number) => X[r * d + j];
    const noise = uniform(r, NOISE_SALT);
    y[r] = 4 * x(0) * x(1) + 3 * (x(2) > 0.5 ? 1 : 0) + 2 * x(3) * x(3) - x(4) + 2 * (x(5) - 0.5) * x(6 % d) + 0.5 * (noise - 0.5);
  }
  for (let i = 0; i < X.length; i++) checksum += X[i];
  for (let r = 0; r < n; r++) checksum += y[r];
  return { X, y, checksum };
}

function runXgboost(sizes: string, rounds: number, depth: number, eta: number, maxBin: number): unknown {
  const script = new URL('../../../scripts/bench/xgboost_hist.py', import.meta.url).pathname;
  const res = spawnSync(
    '/usr/bin/python3',
    [script, '--sizes', sizes, '--rounds', String(rounds), '--depth', String(depth), '--eta', String(eta), '--max-bin', String(maxBin)],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (res.status !== 0) return { error: (res.stderr || String(res.error)).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(res.stdout);
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['sizes', 'methods', 'rounds', 'depth', 'eta', 'max-bin', 'repeats'], ['xgboost']);
  const sizes = args.get('sizes') ?? '10000x20,100000x50';
  const methods = (args.get('methods') ?? 'exact,hist').split(',');
  const rounds = args.int('rounds', 100);
  const depth = args.int('depth', 6);
  const eta = args.number('eta', 0.3);
  const maxBin = args.int('max-bin', 256);
  const repeats = args.int('repeats', 1);
  const results = [];
  for (const size of sizes.split(',')) {
    const [n, d] = size.toLowerCase().split('x').map(Number);
    const { X, y, checksum } = syntheticData(n, d);
    for (const method of methods) {
      const fits: number[] = [];
      const fitCpu: number[] = [];
      const predicts: number[] = [];
      let trainRmse = NaN;
      let trees = 0;
      for (let rep = 0; rep < repeats; rep++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const model = fitGbdt(X, n, d, y, { tree_method: method, n_estimators: rounds, max_depth: depth, learning_rate: eta, max_bin: maxBin });
        const t1 = performance.now();
        const c1 = process.cpuUsage(c0);
        fitCpu.push((c1.user + c1.system) / 1000);
        const pred = predictGbdt(model, X, n);
        const t2 = performance.now();
        fits.push(t1 - t0);
        predicts.push(t2 - t1);
        trainRmse = rmse(pred, y);
        trees = model.trees.length;
      }
      results.push({
        rows: n,
        features: d,
        method,
        trees,
        fitMs: Math.round(Math.min(...fits) * 10) / 10,
        fitMsAll: fits.map((v) => Math.round(v * 10) / 10),
        // CPU time of this process during the fit: less disturbed than wall time on a shared machine.
        fitCpuMs: Math.round(Math.min(...fitCpu) * 10) / 10,
        predictMs: Math.round(Math.min(...predicts) * 10) / 10,
        trainRmse,
        checksum,
      });
    }
  }
  const out: Record<string, unknown> = {
    library: 'transferscope gbdt',
    node: process.version,
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((v) => Math.round(v * 100) / 100),
    rounds,
    depth,
    eta,
    max_bin: maxBin,
    results,
  };
  if (args.has('xgboost')) out.xgboost = runXgboost(sizes, rounds, depth, eta, maxBin);
  return out;
}
