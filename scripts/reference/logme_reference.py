#!/usr/bin/env python3
"""Reference LogME values for src/lib/transfer/logme.ts, computed with numpy.

LogME (You et al., ICML 2021, "LogME: Practical Assessment of Pre-trained Models for Transfer
Learning") is the maximum over alpha, beta of the log evidence, per example, of a Bayesian linear
model y = F w + noise, w ~ N(0, I/alpha), noise ~ N(0, 1/beta), for each one-hot label column, averaged
over the classes. This script follows the authors' published algorithm (the fixed-point form of the
LogME package, thuml/LogME, `LogME._fit_fixed_point`, their default), written out here with numpy:

  * the SVD of F: when n > d, from the eigen-decomposition of F^T F (d x d; singular values
    s = sqrt(eigenvalue), kept where s > 1e-10), u = F v / s; otherwise numpy's thin SVD of F;
  * per class c: y = 1[label == c], x = u^T y, and the sum of y^2 not explained by u;
  * at most 11 fixed-point steps from alpha = beta = 1: with t = alpha / beta,
        gamma = sum sigma / (sigma + t),  m2 = sum sigma x^2 / (t + sigma)^2,
        res2 = sum x^2 / (1 + sigma / t)^2 + (unexplained y^2),
        alpha = gamma / (m2 + 1e-5),  beta = (n - gamma) / (res2 + 1e-5),
    stopping when |alpha / beta - t| / t <= 1e-3;
  * evidence = (d/2 log alpha + n/2 log beta - 1/2 sum log(alpha + beta sigma) - beta/2 res2
               - alpha/2 m2 - n/2 log 2 pi) / n.

The matrices come from a 32-bit linear congruential generator that the TypeScript test rebuilds
bit for bit, so the fixture stores only the labels and a few entries of F as a check.

Run with Debian's python3 (numpy 1.24):
    /usr/bin/python3 scripts/reference/logme_reference.py > test/fixtures/logme/reference.json
"""
import json
import math
import sys

import numpy as np


def lcg_uniform(seed, count):
    """x_{k+1} = (1664525 x_k + 1013904223) mod 2^32; returns x_k / 2^32 * 2 - 1 in [-1, 1)."""
    state = seed % 2**32
    out = np.empty(count, dtype=np.float64)
    for k in range(count):
        state = (1664525 * state + 1013904223) % 2**32
        out[k] = state / 2**32 * 2.0 - 1.0
    return out


def make_case(name, seed, n, d, classes):
    features = lcg_uniform(seed, n * d).reshape(n, d)
    # A planted direction plus noise, cut into `classes` equal-frequency bins: labels the features
    # partly explain, so that the evidence is neither trivial nor hopeless.
    w = lcg_uniform(seed + 1, d)
    noise = lcg_uniform(seed + 2, n)
    score = features @ w + 0.5 * math.sqrt(d / 3.0) * noise
    cuts = np.quantile(score, [k / classes for k in range(1, classes)])
    labels = np.searchsorted(cuts, score, side="right").astype(np.int64)
    return name, seed, features, labels


def logme(features, labels):
    f = features.astype(np.float64)
    n, d = f.shape
    if n > d:
        _, eigenvalues, vt = np.linalg.svd(f.T @ f)
        s = np.sqrt(eigenvalues)
        rank = int(np.sum(s > 1e-10))
        s = s[:rank]
        u = (f @ vt[:rank].T) / s.reshape(1, -1)
    else:
        u, s, _ = np.linalg.svd(f, full_matrices=False)
    sigma = s**2
    per_class = []
    for c in range(int(labels.max()) + 1):
        y = (labels == c).astype(np.float64)
        x = u.T @ y
        x2 = x**2
        unexplained = float(y @ y - x2.sum())
        alpha, beta = 1.0, 1.0
        for _ in range(11):
            t = alpha / beta
            gamma = float(np.sum(sigma / (sigma + t)))
            m2 = float(np.sum(sigma * x2 / (t + sigma) ** 2))
            res2 = float(np.sum(x2 / (1.0 + sigma / t) ** 2)) + unexplained
            alpha = gamma / (m2 + 1e-5)
            beta = (n - gamma) / (res2 + 1e-5)
            if abs(alpha / beta - t) / t <= 1e-3:
                break
        evidence = (
            d / 2.0 * math.log(alpha)
            + n / 2.0 * math.log(beta)
            - 0.5 * float(np.sum(np.log(alpha + beta * sigma)))
            - beta / 2.0 * res2
            - alpha / 2.0 * m2
            - n / 2.0 * math.log(2 * math.pi)
        ) / n
        per_class.append({"evidence": evidence, "alpha": alpha, "beta": beta})
    return float(np.mean([p["evidence"] for p in per_class])), per_class


def main():
    cases = [
        make_case("binary, n > d", 11, 60, 8, 2),
        make_case("binary, n <= d", 12, 10, 16, 2),
        make_case("three classes, n > d", 13, 40, 6, 3),
        make_case("binary, BERT-sized hidden, n > d", 14, 300, 128, 2),
        make_case("binary, hidden 256, n <= d", 15, 100, 256, 2),
    ]
    out = {
        "source": "scripts/reference/logme_reference.py (numpy %s): LogME by the authors' fixed-point algorithm" % np.__version__,
        "generator": "lcg: x_{k+1} = (1664525 x_k + 1013904223) mod 2^32, value x_k / 2^32 * 2 - 1; F = lcg(seed, n*d) row-major",
        "cases": [],
    }
    for name, seed, features, labels in cases:
        score, per_class = logme(features, labels)
        out["cases"].append({
            "name": name,
            "seed": seed,
            "n": int(features.shape[0]),
            "d": int(features.shape[1]),
            "labels": [int(v) for v in labels],
            "features_check": {"first": float(features[0, 0]), "last": float(features[-1, -1]), "sum": float(features.sum())},
            "logme": score,
            "per_class": per_class,
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
