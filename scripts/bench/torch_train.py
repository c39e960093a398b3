"""PyTorch's time for the full training step of `npm run bench -- train`, for comparison.

    /usr/bin/python3 scripts/bench/torch_train.py --shapes JSON [--threads 1,2,1x2] [--warmup 2] [--steps 5]
        [--no-dropout]

--threads lists settings: "T" is T threads for torch and for its BLAS, "TxB" torch's T and the BLAS's
B (1x2 is what set_num_threads(1) alone gives on Debian: the BLAS keeps one thread per core).

JSON is a list of {"name", "layers", "hidden", "heads", "intermediate", "vocab", "batch", "seq"}:
src/cli/bench/train.ts passes its own shapes, so both sides train the same model on the same
shape. Needs PyTorch (Debian: `apt-get install -y python3-torch`). Prints JSON.

The model is Hugging Face's BertForSequenceClassification (post-LN encoder, exact erf GELU,
separate query/key/value linears, additive padding mask, tanh pooler, dropout 0.1), written with
torch.nn only so that `transformers` is not needed. The step is the one the TypeScript side times:
forward, cross-entropy, backward, clip the gradient norm to 1, AdamW (lr 1e-5, weight decay 0.01
except biases and LayerNorm), on one fixed random batch of all-real tokens.
"""
import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time


def _threads_arg():
    return sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv[:-1] else "1,2,1x2"


def _setting(spec):
    """A thread setting "T" (T threads everywhere) or "TxB" (torch's T, the BLAS's B) → (T, B)."""
    t, _, b = spec.partition("x")
    return int(t), int(b or t)


# Debian's torch does its matrix products in OpenBLAS (pthread build), whose threads
# torch.set_num_threads does not bound: measured here, set_num_threads(1) alone spent 149 ms of CPU
# per 75 ms step, i.e. both cores. OpenBLAS reads its thread count once, when it loads, so a process
# measures one setting (main() runs one process per setting) and sets it before torch is imported.
if "," not in _threads_arg():
    _blas = str(_setting(_threads_arg())[1])
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _blas

import torch  # noqa: E402 (after the thread variables, on purpose)
from torch import nn  # noqa: E402


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, p):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.inter = nn.Linear(hidden, intermediate)
        self.out = nn.Linear(intermediate, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=1e-12)
        self.drop = nn.Dropout(p)

    def split(self, x):
        b, t, h = x.shape
        return x.view(b, t, self.heads, h // self.heads).transpose(1, 2)

    def forward(self, x, mask_add):
        b, t, h = x.shape
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(h // self.heads) + mask_add
        probs = self.drop(torch.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, h)
        a = self.attn_norm(self.drop(self.attn_out(context)) + x)
        f = self.drop(self.out(nn.functional.gelu(self.inter(a))))
        return self.out_norm(f + a)


class Bert(nn.Module):
    def __init__(self, s, labels=2, p=0.1):
        super().__init__()
        h = s["hidden"]
        self.word = nn.Embedding(s["vocab"], h)
        self.position = nn.Embedding(512, h)
        self.token_type = nn.Embedding(2, h)
        self.emb_norm = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList(Layer(h, s["heads"], s["intermediate"], p) for _ in range(s["layers"]))
        self.pooler = nn.Linear(h, h)
        self.classifier = nn.Linear(h, labels)

    def forward(self, ids, mask):
        t = ids.shape[1]
        pos = torch.arange(t, device=ids.device)
        x = self.word(ids) + self.token_type(torch.zeros_like(ids)) + self.position(pos)[None]
        x = self.drop(self.emb_norm(x))
        mask_add = ((1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min)
        for layer in self.layers:
            x = layer(x, mask_add)
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.classifier(self.drop(pooled))


def bench(s, threads, warmup, steps, dropout):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = Bert(s)
    model.train(dropout)
    decay = [p for n, p in model.named_parameters() if p.ndim > 1 and "norm" not in n]
    no_decay = [p for n, p in model.named_parameters() if p.ndim <= 1 or "norm" in n]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-5)
    g = torch.Generator().manual_seed(2)
    ids = torch.randint(5, s["vocab"], (s["batch"], s["seq"]), generator=g)
    ids[:, 0] = 2
    mask = torch.ones_like(ids)
    labels = torch.randint(0, 2, (s["batch"],), generator=g)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = nn.functional.cross_entropy(model(ids, mask), labels)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(warmup):
        step()
    times, cpus = [], []
    for _ in range(steps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    mean = sum(times) / len(times)
    return {"shape": s["name"], "threads": threads, "timed_steps": steps,
            "ms_per_step_mean": round(mean, 1), "ms_per_step_min": round(min(times), 1),
            "examples_per_s": round(s["batch"] * 1000 / mean, 2),
            # CPU time of all threads per step (the cheapest step); about ms_per_step_min × threads
            # when the thread count holds.
            "cpu_ms_per_step_min": round(min(cpus), 1),
            "blas_threads": int(os.environ["OPENBLAS_NUM_THREADS"])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--threads", default="1,2,1x2")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--no-dropout", action="store_true")
    a = ap.parse_args()
    settings = a.threads.split(",")
    if len(settings) > 1:
        results = []
        for t in settings:
            argv = [sys.executable, os.path.abspath(__file__), "--shapes", a.shapes, "--threads", t,
                    "--warmup", str(a.warmup), "--steps", str(a.steps)] + (["--no-dropout"] if a.no_dropout else [])
            results += json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)["results"]
    else:
        torch.set_num_interop_threads(1)
        results = [bench(s, _setting(settings[0])[0], a.warmup, a.steps, not a.no_dropout) for s in json.loads(a.shapes)]
    print(json.dumps({"library": "torch", "version": torch.__version__, "python": platform.python_version(),
                      "dropout": not a.no_dropout, "results": results}, indent=1))


if __name__ == "__main__":
    main()
