"""XGBoost's own fit time on the synthetic data of `npm run bench -- gbdt`, for comparison.

    /usr/bin/python3 scripts/bench/xgboost_hist.py [--sizes 10000x20,100000x50] [--rounds 100]
        [--depth 6] [--eta 0.3] [--max-bin 256] [--threads 1,2] [--methods hist] [--repeats 3]

Needs XGBoost (Debian: `apt-get install -y python3-xgboost`, 1.7.4) and numpy. Prints JSON.
The data generator is src/cli/bench/gbdt.ts's `syntheticData`, re-implemented with numpy uint32
arithmetic so that both sides train on bit-identical float32 matrices (checked by `checksum`).
"""
import argparse
import json
import platform
import time

import numpy as np
import xgboost as xgb

FEATURE_SALT = 0x01234567
NOISE_SALT = 0x089ABCDE


def lowbias32(x):
    x = x.astype(np.uint32)
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x


def uniform(idx, salt):
    """Uniform in [0, 1) with 24 bits: exact in float32."""
    h = lowbias32((idx.astype(np.uint64) + salt) % (1 << 32))
    return (h >> np.uint32(8)).astype(np.float64) / 16777216.0


def synthetic_data(n, d):
    idx = np.arange(n * d, dtype=np.uint64)
    X = uniform(idx, FEATURE_SALT).reshape(n, d)
    noise = uniform(np.arange(n, dtype=np.uint64), NOISE_SALT)
    x = [X[:, j] for j in range(6)]
    y = (4 * x[0] * x[1] + 3 * (x[2] > 0.5) + 2 * x[3] * x[3] - x[4] + 2 * (x[5] - 0.5) * X[:, 6 % d]
         + 0.5 * (noise - 0.5))
    return X.astype(np.float32), y.astype(np.float32)


def checksum(X, y):
    """Sum of all float32 values in float64, in order (X row-major, then y), as the TypeScript bench sums."""
    s = np.cumsum(np.concatenate([X.astype(np.float64).ravel(), y.astype(np.float64)]))
    return float(s[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000x20,100000x50")
    ap.add_argument("--rounds", type=int, default=100)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--eta", type=float, default=0.3)
    ap.add_argument("--max-bin", type=int, default=256)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--methods", default="hist")
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    results = []
    for size in a.sizes.split(","):
        n, d = (int(v) for v in size.lower().split("x"))
        X, y = synthetic_data(n, d)
        for method in a.methods.split(","):
            for threads in (int(t) for t in a.threads.split(",")):
                params = {"tree_method": method, "max_depth": a.depth, "eta": a.eta, "max_bin": a.max_bin,
                          "objective": "reg:squarederror", "base_score": 0.5, "nthread": threads}
                fits, cpus, preds = [], [], []
                for _ in range(a.repeats):
                    c0 = time.process_time()
                    t0 = time.perf_counter()
                    dtrain = xgb.DMatrix(X, label=y, nthread=threads)
                    booster = xgb.train(params, dtrain, a.rounds)
                    t1 = time.perf_counter()
                    cpus.append((time.process_time() - c0) * 1000)
                    p = booster.inplace_predict(X)
                    t2 = time.perf_counter()
                    fits.append((t1 - t0) * 1000)
                    preds.append((t2 - t1) * 1000)
                rmse = float(np.sqrt(np.mean((p.astype(np.float64) - y.astype(np.float64)) ** 2)))
                results.append({"rows": n, "features": d, "method": method, "threads": threads,
                                "fitMs": round(min(fits), 1), "fitMsAll": [round(v, 1) for v in fits],
                                # CPU time of all threads during the fit.
                                "fitCpuMs": round(min(cpus), 1),
                                "predictMs": round(min(preds), 1), "trainRmse": rmse,
                                "checksum": checksum(X, y)})
    print(json.dumps({"library": "xgboost", "version": xgb.__version__, "python": platform.python_version(),
                      "rounds": a.rounds, "depth": a.depth, "eta": a.eta, "max_bin": a.max_bin,
                      "results": results}, indent=1))


if __name__ == "__main__":
    main()
