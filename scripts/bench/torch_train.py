"""PyTorch's time for the full training step of `npm run bench -- train`, for comparison.

    /usr/bin/python3 scripts/bench/torch_train.py --shapes JSON [--threads 1,2] [--warmup 2] [--steps 5]
        [--no-dropout]

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
import platform
import time

import torch
from torch import nn


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
            # CPU time of all threads per step (the cheapest step).
            "cpu_ms_per_step_min": round(min(cpus), 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shapes", required=True)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--no-dropout", action="store_true")
    a = ap.parse_args()
    torch.set_num_interop_threads(1)
    results = [bench(s, t, a.warmup, a.steps, not a.no_dropout)
               for s in json.loads(a.shapes) for t in (int(v) for v in a.threads.split(","))]
    print(json.dumps({"library": "torch", "version": torch.__version__, "python": platform.python_version(),
                      "dropout": not a.no_dropout, "results": results}, indent=1))


if __name__ == "__main__":
    main()
