#!/usr/bin/env python3
"""Side-by-side SineNet training step: fieldlab's bench_nn against PyTorch CPU, same threads.

The PyTorch model below is written from docs/nn.md (the same architecture: stem, K disentangled
U-Net waves with block and wave residuals, head). The script first checks that the full-size
SineNet-8 built here has the parameter count fieldlab reports (35,490,219 for INS C=3, history 4),
then times forward + scaled-L2 loss + backward + AdamW for each (size, batch, threads) that
bench_nn also runs, and prints the time ratio fieldlab / PyTorch (<= 1.0: fieldlab is faster).

  build/bench-venv/bin/python bench/nn/torch_compare.py --bench build-nn/bench/nn/bench_nn
"""
import argparse
import json
import statistics
import subprocess
import time

import torch
import torch.nn.functional as F
from torch import nn


class ConvBlock(nn.Module):
    def __init__(self, cin, cout, padding_mode):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, padding_mode=padding_mode)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, padding_mode=padding_mode)
        self.norm1 = nn.GroupNorm(1, cout)
        self.norm2 = nn.GroupNorm(1, cout)

    def forward(self, x):
        h = F.gelu(self.norm1(self.conv1(x)))
        return F.gelu(self.norm2(self.conv2(h)))


def upsample(x, padding_mode):
    if padding_mode == "circular":
        x = F.pad(x, (2, 2, 2, 2), mode="circular")
        x = F.interpolate(x, scale_factor=2, mode="bicubic")
        return x[..., 4:-4, 4:-4]
    return F.interpolate(x, scale_factor=2, mode="bicubic")


class Wave(nn.Module):
    def __init__(self, ch, hidden, padding_mode):
        super().__init__()
        self.padding_mode = padding_mode
        levels = len(ch) - 1
        self.down = nn.ModuleList()
        self.down_short = nn.ModuleList()
        for k in range(1, levels + 1):
            extra = hidden if k > 1 else 0
            self.down.append(ConvBlock(ch[k - 1] + extra, ch[k], padding_mode))
            self.down_short.append(nn.Conv2d(ch[k - 1], ch[k], 1))
        self.up = nn.ModuleList()
        self.up_short = nn.ModuleList()
        for k in range(levels, 0, -1):
            self.up.append(ConvBlock(ch[k] + ch[k - 1], ch[k - 1], padding_mode))
            self.up_short.append(nn.Conv2d(ch[k], ch[k - 1], 1))

    def forward(self, x):
        skips, dx = [x], x
        for k, (block, short) in enumerate(zip(self.down, self.down_short)):
            dx = F.avg_pool2d(dx, 2)
            h = F.avg_pool2d(skips[-1], 2)
            inp = torch.cat([h, dx], 1) if k > 0 else h
            skips.append(block(inp) + short(h))
        u = skips.pop()
        for block, short in zip(self.up, self.up_short):
            up = upsample(u, self.padding_mode)
            u = block(torch.cat([skips.pop(), up], 1)) + short(up)
        return x + u


class SineNet(nn.Module):
    def __init__(self, fields, history, waves, mult, hidden=64, levels=4, padding_mode="zeros"):
        super().__init__()
        ch = [int(hidden * mult**k) for k in range(levels + 1)]
        self.stem = nn.Conv2d(history * fields, hidden, 3, padding=1, padding_mode=padding_mode)
        self.waves = nn.ModuleList([Wave(ch, hidden, padding_mode) for _ in range(waves)])
        self.head = nn.Conv2d(hidden, fields, 3, padding=1, padding_mode=padding_mode)

    def forward(self, x):
        x = self.stem(x)
        for w in self.waves:
            x = w(x)
        return self.head(x)


def scaled_l2(pred, target):
    b, c = pred.shape[:2]
    diff = (pred - target).reshape(b, c, -1).norm(dim=-1)
    return (diff / target.reshape(b, c, -1).norm(dim=-1)).mean()


def torch_step_ms(size, batch, threads, repeats):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    # The bench_nn configuration: K = 2, hidden 16, m = 1.5, circular, INS fields/history.
    model = SineNet(3, 4, 2, 1.5, hidden=16, padding_mode="circular")
    opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=1e-5)
    x = torch.randn(batch, 12, size, size)
    y = torch.randn(batch, 3, size, size)

    def step():
        opt.zero_grad(set_to_none=False)
        loss = scaled_l2(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(2):
        step()
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append(1e3 * (time.perf_counter() - t0))
        cpu.append(1e3 * (time.process_time() - c0))
    params = sum(p.numel() for p in model.parameters())
    return statistics.median(wall), statistics.median(cpu), params


def fieldlab_step_ms(bench, size, batch, threads, repeats):
    name = f"BM_SineNetTrainStep/{size}/{batch}/{threads}/real_time"
    out = subprocess.run(
        [bench, f"--benchmark_filter=^{name}$", "--benchmark_format=json",
         f"--benchmark_repetitions={repeats}", "--benchmark_min_time=0.01"],
        check=True, capture_output=True, text=True).stdout
    runs = [b for b in json.loads(out)["benchmarks"] if b.get("run_type") == "iteration"]
    # cpu_time is the main thread's: comparable with torch's process time at 1 thread only.
    return (statistics.median(b["real_time"] for b in runs),
            statistics.median(b["cpu_time"] for b in runs), int(runs[0]["params"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", required=True, help="path to bench_nn")
    ap.add_argument("--sizes", type=int, nargs="+", default=[64, 128])
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()

    full = SineNet(3, 4, 8, 1.425)
    count = sum(p.numel() for p in full.parameters())
    print(f"PyTorch SineNet-8 (INS, history 4) parameters: {count}")
    assert count == 35490219, count
    del full

    rows = []
    print("wall-clock ms per step (median); at 1 thread also CPU ms (robust on a loaded machine)")
    print(f"{'size':>5} {'batch':>5} {'threads':>7} {'fieldlab':>9} {'torch':>9} {'ratio':>6}"
          f" {'fl cpu':>9} {'torch cpu':>9} {'ratio':>6}")
    for size in args.sizes:
        for threads in args.threads:
            ours, our_cpu, our_params = fieldlab_step_ms(args.bench, size, args.batch, threads,
                                                         args.repeats)
            theirs, their_cpu, their_params = torch_step_ms(size, args.batch, threads, args.repeats)
            assert our_params == their_params, (our_params, their_params)
            row = dict(size=size, batch=args.batch, threads=threads, fieldlab_ms=ours,
                       torch_ms=theirs, ratio=ours / theirs, parameters=our_params)
            cpu = ""
            if threads == 1:
                row.update(fieldlab_cpu_ms=our_cpu, torch_cpu_ms=their_cpu,
                           cpu_ratio=our_cpu / their_cpu)
                cpu = f" {our_cpu:>9.1f} {their_cpu:>9.1f} {our_cpu / their_cpu:>6.2f}"
            rows.append(row)
            print(f"{size:>5} {args.batch:>5} {threads:>7} {ours:>9.1f} {theirs:>9.1f} "
                  f"{ours / theirs:>6.2f}{cpu}", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(torch=torch.__version__, results=rows), f, indent=2)


if __name__ == "__main__":
    main()
