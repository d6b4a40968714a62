#!/usr/bin/env python3
"""The c-sweep of issue 14: LPINN and PINN on u_t + c u_x = 0, u0 = sin x, t in [0, 1], for
c in {0, 2, 5, 10, 20, 30, 40, 50, 60, 70}, one fieldlab training run per (model, c), each in its
own process (pinn_sweep_run: the library's whole training run, Adam then L-BFGS).

Writes the runs, the budget and each model's total wall time to --json, prints a markdown table,
and plots relative L2 against c (log y, both models) to --png when matplotlib imports (run the
plot alone later with --plot-only and a Python that has it).

  sweep.py --run build/bench/pinn/pinn_sweep_run [--nx 64 --nt 32 --adam-steps 300
           --lbfgs-iterations 200 --threads 1] [--json bench/results/pinn_sweep.json]
           [--png bench/results/pinn_sweep.png]
  sweep.py --plot-only [--json ...] [--png ...]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

SPEEDS = [0, 2, 5, 10, 20, 30, 40, 50, 60, 70]


def cpu_model():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def table(result):
    runs = result["runs"]
    by = {(r["method"], r["speed"]): r for r in runs}
    speeds = sorted({r["speed"] for r in runs})
    lines = ["| c | LPINN rel. L2 | PINN rel. L2 | LPINN s | PINN s |", "|---|---|---|---|---|"]
    for c in speeds:
        cells = []
        for key in ("relative_l2", "seconds"):
            for m in ("lpinn", "pinn"):
                r = by.get((m, c))
                cells.append(("%.3e" if key == "relative_l2" else "%.0f") % r[key] if r else "-")
        lines.append("| %g | %s |" % (c, " | ".join(cells)))
    walls = result["wall_seconds"]
    lines.append("")
    lines.append("Wall time of the sweep: LPINN %.0f s, PINN %.0f s (%s)." %
                 (walls.get("lpinn", 0), walls.get("pinn", 0), result["budget_text"]))
    return "\n".join(lines)


def plot(result, png):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("sweep.py: no matplotlib here; plot later with --plot-only", file=sys.stderr)
        return False
    fig, ax = plt.subplots(figsize=(6, 4))
    for m, label, mark in (("lpinn", "LPINN", "o-"), ("pinn", "PINN", "s--")):
        pts = sorted((r["speed"], r["relative_l2"]) for r in result["runs"] if r["method"] == m)
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], mark, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("convection speed c")
    ax.set_ylabel("relative L2 error of u")
    ax.set_title("u_t + c u_x = 0, u0 = sin x\n%s" % result["budget_text"], fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(png, dpi=120)
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--run", default="build/bench/pinn/pinn_sweep_run")
    ap.add_argument("--nx", type=int, default=64)
    ap.add_argument("--nt", type=int, default=32)
    ap.add_argument("--adam-steps", type=int, default=300)
    ap.add_argument("--lbfgs-iterations", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--speeds", default=",".join(str(c) for c in SPEEDS))
    ap.add_argument("--methods", default="lpinn,pinn")
    ap.add_argument("--json", default="bench/results/pinn_sweep.json")
    ap.add_argument("--png", default="bench/results/pinn_sweep.png")
    ap.add_argument("--plot-only", action="store_true")
    args = ap.parse_args()

    if args.plot_only:
        with open(args.json) as f:
            result = json.load(f)
        plot(result, args.png)
        print(table(result))
        return

    budget = {"nx": args.nx, "nt": args.nt, "adam_steps": args.adam_steps,
              "adam_lr": 1e-2, "lbfgs_iterations": args.lbfgs_iterations,
              "lbfgs_step_iterations": 20, "lbfgs_history": 50, "threads": args.threads,
              "seed": args.seed}
    budget_text = ("collocation %d x %d, Adam %d steps lr 1e-2, L-BFGS %d iterations, %d thread%s"
                   % (args.nx, args.nt, args.adam_steps, args.lbfgs_iterations, args.threads,
                      "" if args.threads == 1 else "s"))
    result = {"cpu": cpu_model(), "cores": os.cpu_count(), "budget": budget,
              "budget_text": budget_text, "problem": "convection nu = 0, u0 = sin x, t in [0, 1]",
              "evaluation": "relative L2 of u on 256 x 100 points against the exact solution",
              "load_start": loadavg(), "runs": [], "wall_seconds": {}}
    for m in args.methods.split(","):
        t0 = time.time()
        for c in [float(s) for s in args.speeds.split(",")]:
            cmd = [args.run, "--method", m, "--speed", "%g" % c, "--nx", str(args.nx), "--nt",
                   str(args.nt), "--adam-steps", str(args.adam_steps), "--lbfgs-iterations",
                   str(args.lbfgs_iterations), "--threads", str(args.threads), "--seed",
                   str(args.seed)]
            load = loadavg()
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                sys.exit("sweep.py: %s failed (%d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
            r = json.loads(p.stdout.strip().splitlines()[-1])
            r["load_before"] = load
            result["runs"].append(r)
            print("%s c=%g: relative L2 %.3e in %.1f s (load %s)" %
                  (m, c, r["relative_l2"], r["seconds"], load), file=sys.stderr)
            # Written after every run, so an interrupted sweep keeps what it measured.
            result["wall_seconds"][m] = round(time.time() - t0, 1)
            result["load_end"] = loadavg()
            with open(args.json, "w") as f:
                json.dump(result, f, indent=1)
                f.write("\n")
    plot(result, args.png)
    print(table(result))


if __name__ == "__main__":
    main()
