#!/usr/bin/env python3
"""SineNet training and inference steps: fieldlab (bench/nn/nn_step) against PyTorch CPU.

The PyTorch model below is written from docs/nn.md (the same architecture: stem, K disentangled
U-Net waves with block and wave residuals, head); every run asserts that both engines have the
same parameter count (35,490,219 for the full-size SineNet-8 with INS C=3, history 4).

  torch_compare.py step --model small --size 128 --batch 8 --threads 1 --mode train --steps 3
      one PyTorch configuration in this process; prints the same JSON line as nn_step
  torch_compare.py compare --nn-step build-bench/bench/nn/nn_step --json out.json [--smoke]
      every configuration, each engine in its own process (peak memory per configuration),
      fieldlab and PyTorch interleaved, same threads; prints a markdown table of ratios

bench/nn/run_idle.sh drives the whole benchmark.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
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


# The two benchmark models (bench/nn/nn_step.cpp builds the same ones): INS fields 3, history 4.
MODELS = {
    "small": dict(waves=2, mult=1.5, hidden=16, padding_mode="circular"),
    "sinenet8": dict(waves=8, mult=1.425, hidden=64, padding_mode="zeros"),
}
FIELDS, HISTORY = 3, 4


def build(name):
    return SineNet(FIELDS, HISTORY, **MODELS[name])


def forward_gflop_per_sample(model, size):
    """Multiply-adds x 2 of every convolution of one forward pass of one sample (the bulk of the
    work; norms, activations and resampling are O(activations) and left out)."""
    flops = []

    def hook(mod, inp, out):
        flops.append(2.0 * mod.weight.numel() * out.shape[-1] * out.shape[-2])

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(torch.zeros(1, FIELDS * HISTORY, size, size))
    for h in handles:
        h.remove()
    return sum(flops) * 1e-9


def rss_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024.0
    return 0.0


def reset_peak_rss():
    """VmHWM := VmRSS ("5" > /proc/self/clear_refs, Linux >= 4.0), so that the peak read later is
    that of the steps after this point. False where the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def torch_step(args):
    torch.set_num_threads(args.threads)
    start_rss = rss_mib("VmRSS:")
    torch.manual_seed(0)
    model = build(args.model)
    x = torch.randn(args.batch, FIELDS * HISTORY, args.size, args.size)
    y = torch.randn(args.batch, FIELDS, args.size, args.size)
    if args.mode == "train":
        opt = torch.optim.AdamW(model.parameters(), lr=2e-4, weight_decay=1e-5)

        def step():
            opt.zero_grad(set_to_none=False)
            loss = scaled_l2(model(x), y)
            loss.backward()
            opt.step()
            return loss.item()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                return model(x).mean().item()

    for _ in range(args.warmup):
        step()
    warmup_peak = rss_mib("VmHWM:")
    hwm_reset = reset_peak_rss()
    wall, cpu = [], []
    for _ in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        loss = step()
        cpu.append(1e3 * (time.process_time() - c0))
        wall.append(1e3 * (time.perf_counter() - t0))
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across execve, so it would include the peak
    # of the driver process that started this one.
    steady_peak = rss_mib("VmHWM:") if hwm_reset else None
    peak = max(warmup_peak, rss_mib("VmHWM:"))
    print(json.dumps(dict(
        engine="torch", model=args.model, mode=args.mode, size=args.size, batch=args.batch,
        threads=args.threads, steps=args.steps,
        parameters=sum(p.numel() for p in model.parameters()),
        wall_ms=statistics.median(wall), cpu_ms=statistics.median(cpu), wall_ms_all=wall,
        peak_rss_mib=peak, warmup_peak_rss_mib=warmup_peak, steady_peak_rss_mib=steady_peak,
        start_rss_mib=start_rss, torch=torch.__version__, loss=loss)))


def configurations(smoke):
    """(model, mode, size, batch, threads, steps) in run order, and what was left out and why.

    Timed steps are chosen from the convolution cost (forward_gflop_per_sample at 128^2: small
    1.5 GFLOP, SineNet-8 84 GFLOP per sample; a training step is about 3x a forward) so that the
    whole run stays under about 20 minutes on the 2-core machine at ~40 GFLOP/s per core.
    """
    if smoke:
        return ([(m, mode, 32, 2, 1, 1) for m in ("small", "sinenet8") for mode in ("train", "infer")]
                + [("small", "train", 32, 2, 2, 1)],
                ["smoke run: 32^2, batch 2, one timed step, two threads for one configuration"])
    runs = []
    for mode in ("train", "infer"):
        for batch in (8, 32):
            for threads in (1, 2):
                runs.append(("small", mode, 128, batch, threads, 3))
    # SineNet-8 at 128^2: about 2 TFLOP per training step at batch 8 (~50 s at one thread), so
    # one timed step after the warm-up; inference is a third of that.
    for mode in ("train", "infer"):
        for threads in (1, 2):
            runs.append(("sinenet8", mode, 128, 8, threads, 1 if mode == "train" else 2))
    skipped = ["sinenet8 train batch 32: about 8 TFLOP per step (a warm-up and a timed step of "
               "both engines at 1 and 2 threads: over 30 minutes) and ~52 GiB of fieldlab arena",
               "sinenet8 infer batch 32: about 2.7 TFLOP per step; a warm-up and a timed step "
               "of both engines would add ~5-6 minutes to the run (memory is no longer the "
               "obstacle: fieldlab's planned arena is ~190 MiB at batch 8)"]
    return runs, skipped


def run_json(cmd, env):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def compare(args):
    runs, skipped = configurations(args.smoke)
    if args.only:  # e.g. "sinenet8:infer" or "small": a partial rerun of some rows
        model, _, mode = args.only.partition(":")
        runs = [r for r in runs if r[0] == model and (not mode or r[1] == mode)]
        if not runs:
            raise SystemExit(f"--only {args.only}: no such configuration")
        skipped = []
    results = []
    for model, mode, size, batch, threads, steps in runs:
        common = ["--model", model, "--mode", mode, "--size", str(size), "--batch", str(batch),
                  "--threads", str(threads), "--steps", str(steps), "--warmup", "1"]
        env = dict(os.environ, OMP_NUM_THREADS=str(threads))
        try:
            ours = run_json([args.nn_step] + common, env)
            theirs = run_json([sys.executable, __file__, "step"] + common, env)
        except subprocess.CalledProcessError as e:  # e.g. out of memory: report, go on
            tail = (e.stderr or "").strip().splitlines()[-1:] or [f"exit {e.returncode}"]
            print(f"{model} {mode} {size}^2 b{batch} t{threads}: FAILED: {tail[0]}", flush=True)
            skipped.append(f"{model} {mode} {size}^2 batch {batch} threads {threads}: failed "
                           f"({tail[0]})")
            continue
        assert ours["parameters"] == theirs["parameters"], (ours, theirs)
        row = dict(model=model, mode=mode, size=size, batch=batch, threads=threads,
                   fieldlab=ours, torch=theirs,
                   time_ratio=ours["wall_ms"] / theirs["wall_ms"],
                   cpu_ratio=ours["cpu_ms"] / theirs["cpu_ms"],
                   memory_ratio=ours["peak_rss_mib"] / theirs["peak_rss_mib"],
                   steady_memory_ratio=(ours["steady_peak_rss_mib"] / theirs["steady_peak_rss_mib"]
                                        if ours.get("steady_peak_rss_mib")
                                        and theirs.get("steady_peak_rss_mib") else None),
                   net_memory_ratio=(ours["peak_rss_mib"] - ours["start_rss_mib"])
                   / (theirs["peak_rss_mib"] - theirs["start_rss_mib"]))
        results.append(row)
        print(f"{model} {mode} {size}^2 b{batch} t{threads}: fieldlab {ours['wall_ms']:.0f} ms "
              f"({ours['cpu_ms']:.0f} CPU), torch {theirs['wall_ms']:.0f} ms "
              f"({theirs['cpu_ms']:.0f} CPU), ratio {row['time_ratio']:.2f}", flush=True)
    flops = {m: forward_gflop_per_sample(build(m), runs[0][2]) for m in MODELS}
    doc = dict(torch=torch.__version__, gemm=results[0]["fieldlab"]["gemm"] if results else "",
               forward_gflop_per_sample=flops, skipped=skipped, results=results)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
    print()
    print("| model | step | size | batch | threads | fieldlab ms | PyTorch ms | time ratio "
          "| CPU ratio | fieldlab peak MiB (arena) | PyTorch peak MiB | memory ratio "
          "| net memory ratio | steady peak MiB fieldlab / PyTorch | steady ratio "
          "| fieldlab mallocs in timed steps |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- "
          "| --- | --- |")
    for r in results:
        a, b = r["fieldlab"], r["torch"]
        steady = (f"{a['steady_peak_rss_mib']:.0f} / {b['steady_peak_rss_mib']:.0f} "
                  f"| {r['steady_memory_ratio']:.2f}" if r["steady_memory_ratio"] else "n/a | n/a")
        print(f"| {r['model']} | {r['mode']} | {r['size']}² | {r['batch']} | {r['threads']} "
              f"| {a['wall_ms']:.0f} | {b['wall_ms']:.0f} | **{r['time_ratio']:.2f}** "
              f"| {r['cpu_ratio']:.2f} | {a['peak_rss_mib']:.0f} ({a['arena_mib']:.0f}) "
              f"| {b['peak_rss_mib']:.0f} | **{r['memory_ratio']:.2f}** "
              f"| {r['net_memory_ratio']:.2f} | {steady} "
              f"| {a.get('heap_allocs_in_timed_steps', 'n/a')} |")
    print()
    print("Ratios are fieldlab / PyTorch (<= 1: fieldlab faster or smaller); times are wall-clock "
          "medians of the timed steps after one warm-up step, CPU ratio compares process CPU time; "
          "peak = VmHWM of the process (first step included); net memory = peak minus the "
          "resident memory before the model was built (PyTorch's ~530 MiB of imported libraries "
          "left out); steady peak = VmHWM of the timed steps alone (reset after the warm-up "
          "through /proc/self/clear_refs; fieldlab's timed steps run on its planned arena); "
          "fieldlab mallocs = heap allocations (malloc/calloc/realloc, any library) during the "
          "timed steps, 0 expected.")
    for s in skipped:
        print(f"Skipped: {s}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    st = sub.add_parser("step", help="time one PyTorch configuration (one JSON line)")
    st.add_argument("--model", choices=sorted(MODELS), default="small")
    st.add_argument("--mode", choices=["train", "infer"], default="train")
    st.add_argument("--size", type=int, default=128)
    st.add_argument("--batch", type=int, default=8)
    st.add_argument("--threads", type=int, default=1)
    st.add_argument("--steps", type=int, default=3)
    st.add_argument("--warmup", type=int, default=1)
    cp = sub.add_parser("compare", help="all configurations, both engines, markdown table")
    cp.add_argument("--nn-step", required=True, help="path to fieldlab's nn_step")
    cp.add_argument("--json", help="write the raw results here")
    cp.add_argument("--smoke", action="store_true", help="tiny sizes: checks the pipeline only")
    cp.add_argument("--only", help="MODEL or MODEL:MODE (e.g. sinenet8:infer): only those rows")
    args = ap.parse_args()
    if args.command == "step":
        torch_step(args)
    else:
        compare(args)


if __name__ == "__main__":
    main()
