"""PyTorch reference for the GPU check (issue 19): examples/s of the same fine-tuning step as
scripts/gpu/train-throughput.ts (BERT classifier, forward + backward + AdamW, clip-norm 1, dropout
0.1) on the same shapes, and the float32 GFLOP/s of an N×N×N matmul, on --device (cuda or cpu).

A hand-written BERT (post-LayerNorm, erf GELU, eager attention as in transformers' BertModel), so it
needs only torch (torch ≥ 1.13; transformers is not needed). TF32 is switched off: the figures are
strict float32, as WebGPU computes. Prints JSON on stdout.

    python3 scripts/gpu/torch_cuda_train.py --device cuda [--shapes mini,bundled] [--warmup 3] [--steps 20]
                                            [--batch-seq 2x16] [--matmul 1024,2048,4096]
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def shapes():
    """The two shapes of train-throughput.ts: BERT-mini and the bundled model's config."""
    with open(os.path.join(ROOT, "models", "ts-bert-l4-h128", "config.json")) as f:
        bundled = json.load(f)
    return {
        "mini": dict(vocab=8192, hidden=256, layers=4, heads=4, intermediate=1024, max_pos=512, batch=32, seq=64),
        "bundled": dict(vocab=bundled["vocab_size"], hidden=bundled["hidden_size"], layers=bundled["num_hidden_layers"],
                        heads=bundled["num_attention_heads"], intermediate=bundled["intermediate_size"],
                        max_pos=bundled["max_position_embeddings"], batch=16, seq=64),
    }


class Layer(nn.Module):
    def __init__(self, h, heads, inter, p):
        super().__init__()
        self.heads, self.p = heads, p
        self.qkv = nn.Linear(h, 3 * h)
        self.out = nn.Linear(h, h)
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.up = nn.Linear(h, inter)
        self.down = nn.Linear(inter, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)

    def forward(self, x, mask_add):
        b, t, h = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, h // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + mask_add
        probs = F.dropout(scores.softmax(-1), self.p, self.training)
        ctx = (probs @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + F.dropout(self.out(ctx), self.p, self.training))
        return self.ln2(x + F.dropout(self.down(F.gelu(self.up(x))), self.p, self.training))


class Bert(nn.Module):
    def __init__(self, s, p=0.1, labels=2):
        super().__init__()
        h = s["hidden"]
        self.word = nn.Embedding(s["vocab"], h)
        self.pos = nn.Embedding(s["max_pos"], h)
        self.token_type = nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.layers = nn.ModuleList(Layer(h, s["heads"], s["intermediate"], p) for _ in range(s["layers"]))
        self.pool = nn.Linear(h, h)
        self.cls = nn.Linear(h, labels)
        self.p = p

    def forward(self, ids, mask):
        t = ids.shape[1]
        pos = torch.arange(t, device=ids.device)
        x = self.ln(self.word(ids) + self.pos(pos)[None] + self.token_type(torch.zeros_like(ids)))
        x = F.dropout(x, self.p, self.training)
        mask_add = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, mask_add)
        pooled = torch.tanh(self.pool(x[:, 0]))
        return self.cls(F.dropout(pooled, self.p, self.training))


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def train_throughput(name, s, device, warmup, steps):
    torch.manual_seed(1)
    model = Bert(s).to(device).train()
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or ".ln" in n or n.startswith("ln")]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or ".ln" in n or n.startswith("ln"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-5)
    g = torch.Generator().manual_seed(2)
    ids = torch.randint(5, s["vocab"], (s["batch"], s["seq"]), generator=g)
    ids[:, 0] = 2
    ids, mask = ids.to(device), torch.ones_like(ids).to(device)
    labels = torch.randint(0, 2, (s["batch"],), generator=g).to(device)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(ids, mask), labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()  # a read, as in our step: the clock stops after the device's work

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        sync(device)
        t0 = time.perf_counter()
        step()
        sync(device)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    med = times[len(times) // 2]
    return {"shape": name, "batch": s["batch"], "seq": s["seq"], "layers": s["layers"], "hidden": s["hidden"],
            "parameters": sum(p.numel() for p in model.parameters()), "warmup_steps": warmup, "timed_steps": steps,
            "ms_per_step_median": round(med, 2), "ms_per_step_min": round(times[0], 2),
            "examples_per_s": round(s["batch"] * 1000 / med, 2)}


def matmul_throughput(n, device, min_ms=300.0):
    a = torch.rand(n, n, device=device) * 2 - 1
    b = torch.rand(n, n, device=device) * 2 - 1
    for _ in range(2):
        a @ b
    sync(device)
    t0 = time.perf_counter(); a @ b; sync(device)
    one = max((time.perf_counter() - t0) * 1000, 0.01)
    reps = max(1, min(200, math.ceil(min_ms / one)))
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    sync(device)
    ms = (time.perf_counter() - t0) * 1000 / reps
    return {"n": n, "reps": reps, "ms_per_matmul": round(ms, 4), "gflops": round(2 * n ** 3 / (ms * 1e6), 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--shapes", default="mini,bundled")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch-seq", help="BxT instead of each shape's own batch (a quick dry run)")
    ap.add_argument("--matmul", default="1024,2048,4096")
    a = ap.parse_args()
    device = torch.device(a.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--device cuda: torch.cuda.is_available() is False")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    known = shapes()
    results = []
    for name in a.shapes.split(","):
        if name not in known:
            raise SystemExit(f"--shapes: unknown shape {name!r}; known: {', '.join(known)}")
        s = dict(known[name])
        if a.batch_seq:
            s["batch"], s["seq"] = (int(v) for v in a.batch_seq.split("x"))
        results.append(train_throughput(name, s, device, a.warmup, a.steps))
    out = {"bench": "torch train", "device": str(device), "torch_version": torch.__version__,
           "gpu_name": torch.cuda.get_device_name(0) if device.type == "cuda" else None,
           "threads": torch.get_num_threads(), "tf32": False,
           "note": "hand-written BERT, eager attention, fp32; step = forward + backward + clip + AdamW, dropout 0.1",
           "results": results,
           "matmul": [matmul_throughput(int(n), device) for n in a.matmul.split(",") if n]}
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
