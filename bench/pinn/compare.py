#!/usr/bin/env python3
"""fieldlab against PyTorch CPU on the LPINN and PINN convection steps (issue 14), side by side.

For each threads T, model (lpinn, pinn) and step kind (adam, lbfgs) it runs pinn_step (fieldlab)
and torch_pinn.py measure (PyTorch), each in a fresh process (peak memory = that process's
VmHWM), with the same sizes and threads; writes one JSON file and prints a markdown table.
This script never imports torch itself.

  compare.py --pinn-step build/bench/pinn/pinn_step --python /path/to/venv/bin/python \
             [--threads 1,2] [--nx 256 --nt 100] [--json bench/results/pinn_torch.json]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def run_json(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("compare.py: %s failed (%d):\n%s" % (cmd[0], p.returncode, p.stderr))
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pinn-step", default="build/bench/pinn/pinn_step")
    ap.add_argument("--python", default=sys.executable, help="a Python with torch")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--nx", type=int, default=256)
    ap.add_argument("--nt", type=int, default=100)
    ap.add_argument("--adam-steps", type=int, default=None, help="timed Adam steps (default 20)")
    ap.add_argument("--lbfgs-steps", type=int, default=None,
                    help="timed L-BFGS steps of 20 iterations (default 3)")
    ap.add_argument("--json", default="bench/results/pinn_torch.json")
    args = ap.parse_args()

    rows = []
    load_start = loadavg()
    t_start = time.time()
    for threads in [int(t) for t in args.threads.split(",")]:
        for method in ("lpinn", "pinn"):
            for kind in ("adam", "lbfgs"):
                common = ["--method", method, "--kind", kind, "--threads", str(threads), "--nx",
                          str(args.nx), "--nt", str(args.nt)]
                steps = args.adam_steps if kind == "adam" else args.lbfgs_steps
                if steps:
                    common += ["--steps", str(steps)]
                load = loadavg()
                fl = run_json([args.pinn_step] + common)
                th = run_json([args.python, os.path.join(HERE, "torch_pinn.py"), "measure"] +
                              common)
                row = {"method": method, "kind": kind, "threads": threads, "load_before": load,
                       "fieldlab": fl, "torch": th,
                       "ratio": round(fl["ms"] / th["ms"], 3) if th["ms"] else None}
                rows.append(row)
                print("%s %s T=%d: fieldlab %.2f ms, torch %.2f ms (load %s)" %
                      (method, kind, threads, fl["ms"], th["ms"], load), file=sys.stderr)
    result = {
        "cpu": cpu_model(), "cores": os.cpu_count(), "nx": args.nx, "nt": args.nt,
        "speed": 30, "load_start": load_start, "load_end": loadavg(),
        "seconds": round(time.time() - t_start, 1),
        "note": ("ms: adam = median wall ms per step (forward + backward + Adam); lbfgs = median "
                 "over L-BFGS steps of (step wall ms / iterations it took), lr 1, max_iter 20, "
                 "history 50, strong Wolfe. MiB: peak resident memory (VmHWM) of the process "
                 "(torch's includes ~0.5 GiB for importing torch: rss_after_import_mib)."),
        "rows": rows,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")

    print("CPU: %s (%s cores); load %s at start, %s at end; collocation %d x %d, c = 30\n" %
          (result["cpu"], result["cores"], load_start, result["load_end"], args.nx, args.nt))
    print("| model | step | threads | fieldlab ms | torch ms | ratio | fieldlab MiB | torch MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        kind = "Adam step" if r["kind"] == "adam" else "L-BFGS iteration"
        print("| %s | %s | %d | %.2f | %.2f | %.2f | %.0f | %.0f |" %
              (r["method"], kind, r["threads"], r["fieldlab"]["ms"], r["torch"]["ms"],
               r["ratio"], r["fieldlab"]["peak_rss_mib"], r["torch"]["peak_rss_mib"]))


if __name__ == "__main__":
    main()
