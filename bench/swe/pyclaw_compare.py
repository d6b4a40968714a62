#!/usr/bin/env python3
"""PDEBench's 2D radial dam break side by side: PyClaw (PDEBench's generator) vs fieldlab.

Both solve the same samples (fieldlab draws the dam radii; PyClaw reruns exactly those radii read
back from fieldlab's PDEBench-layout file), on the same 128^2 grid, writing the same 101 frames
(t = 0, 0.01, ..., 1) of h to an HDF5 file in PDEBench's layout, with the same number of worker
threads (PyClaw is serial, so it gets one process per thread, OMP_NUM_THREADS=1 each). Prints the
wall times, the ratio, and how far the two solutions are apart.

Setup (once):  python3 -m venv build/bench-venv && build/bench-venv/bin/pip install clawpack h5py
Run:           build/bench-venv/bin/python bench/swe/pyclaw_compare.py --fieldlab build/apps/fieldlab
"""

import argparse
import json
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np


def pyclaw_sample(args):
    radius, n, frames, t_end = args
    os.environ["OMP_NUM_THREADS"] = "1"
    from clawpack import pyclaw, riemann

    # The setup of PDEBench's sim_radial_dam_break.py: Roe solver with entropy fix, MC limiter,
    # extrapolation boundaries, g = 1, h = 2 inside the dam, 1 outside, PyClaw's default CFL.
    solver = pyclaw.ClawSolver2D(riemann.shallow_roe_with_efix_2D)
    solver.limiters = pyclaw.limiters.tvd.MC
    solver.num_waves = 3
    solver.num_eqn = 3
    for d in range(2):
        solver.bc_lower[d] = pyclaw.BC.extrap
        solver.bc_upper[d] = pyclaw.BC.extrap
    x = pyclaw.Dimension(-2.5, 2.5, n, name="x")
    y = pyclaw.Dimension(-2.5, 2.5, n, name="y")
    domain = pyclaw.Domain([x, y])
    state = pyclaw.State(domain, solver.num_eqn)
    state.problem_data["grav"] = 1.0
    xc, yc = state.p_centers
    r = np.sqrt(xc**2 + yc**2)
    state.q[0, :, :] = 2.0 * (r <= radius) + 1.0 * (r > radius)
    state.q[1, :, :] = 0.0
    state.q[2, :, :] = 0.0
    solution = pyclaw.Solution(state, domain)
    out = [state.q[0].copy()]
    for k in range(1, frames):
        solver.evolve_to_time(solution, t_end * k / (frames - 1))
        out.append(state.q[0].copy())
    return np.asarray(out, dtype=np.float32)[..., None], x.centers, y.centers


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def self_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fieldlab", default="build/apps/fieldlab")
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--resolution", type=int, default=128)
    parser.add_argument("--frames", type=int, default=101)
    parser.add_argument("--cfl", type=float, default=0.9, help="fieldlab --cfl (its dambreak2d default)")
    parser.add_argument("--stepper", default="", help="fieldlab --stepper (default: its default)")
    parser.add_argument("--riemann", default="", help="fieldlab --riemann (default: its default)")
    parser.add_argument("--json", default="", help="write the results here as JSON")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="swe_pyclaw_")
    ours_path = os.path.join(work, "fieldlab_rdb.h5")
    theirs_path = os.path.join(work, "pyclaw_rdb.h5")

    cmd = [args.fieldlab, "generate", "dambreak2d", "--layout", "pdebench", "--samples",
           str(args.samples), "--resolution", str(args.resolution), "--frames", str(args.frames),
           "--threads", str(args.threads), "--cfl", str(args.cfl), "--out", ours_path, "--quiet"]
    if args.stepper:
        cmd += ["--stepper", args.stepper]
    if args.riemann:
        cmd += ["--riemann", args.riemann]
    cpu0 = children_cpu()
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    ours_seconds = time.perf_counter() - start
    ours_cpu = children_cpu() - cpu0

    with h5py.File(ours_path, "r") as f:
        names = sorted(k for k in f.keys() if k.isdigit())
        radii = []
        for name in names:
            config = f[name].attrs["config"]
            config = config.decode() if isinstance(config, bytes) else config
            line = next(l for l in config.splitlines() if "dam_radius" in l)
            radii.append(float(line.split(":")[1]))
        ours = {name: f[name]["data"][...] for name in names}

    cpu0 = children_cpu() + self_cpu()
    start = time.perf_counter()
    pool = mp.get_context("spawn").Pool(args.threads)
    results = pool.map(pyclaw_sample, [(r, args.resolution, args.frames, 1.0) for r in radii])
    pool.close()
    pool.join()  # reaped workers count in RUSAGE_CHILDREN
    with h5py.File(theirs_path, "w") as f:
        t = np.linspace(0.0, 1.0, args.frames)
        for name, (data, xc, yc) in zip(names, results):
            f.create_dataset(f"{name}/data", data=data, dtype="f")
            f.create_dataset(f"{name}/grid/x", data=xc, dtype="f")
            f.create_dataset(f"{name}/grid/y", data=yc, dtype="f")
            f.create_dataset(f"{name}/grid/t", data=t, dtype="f")
    pyclaw_seconds = time.perf_counter() - start
    pyclaw_cpu = children_cpu() + self_cpu() - cpu0

    # Distance between the two solutions: relative L1 of h over the last frame, per sample.
    diffs = []
    for name, (data, _, _) in zip(names, results):
        a, b = ours[name][-1, ..., 0].astype(np.float64), data[-1, ..., 0].astype(np.float64)
        diffs.append(float(np.abs(a - b).sum() / np.abs(b).sum()))
    result = {
        "samples": args.samples, "resolution": args.resolution, "frames": args.frames,
        "threads": args.threads, "fieldlab_cfl": args.cfl,
        "fieldlab_stepper": args.stepper or "default", "fieldlab_riemann": args.riemann or "default",
        "fieldlab_seconds": ours_seconds, "pyclaw_seconds": pyclaw_seconds,
        "fieldlab_seconds_per_sample": ours_seconds / args.samples,
        "pyclaw_seconds_per_sample": pyclaw_seconds / args.samples,
        "speedup": pyclaw_seconds / ours_seconds,
        "fieldlab_cpu_seconds": ours_cpu, "pyclaw_cpu_seconds": pyclaw_cpu,
        "cpu_ratio": pyclaw_cpu / ours_cpu,
        "load_average": os.getloadavg(),
        "relative_l1_difference_final_h": {"max": max(diffs), "mean": sum(diffs) / len(diffs)},
    }
    print(f"radial dam break {args.resolution}^2, {args.frames} frames, {args.samples} samples, "
          f"{args.threads} threads")
    print(f"  fieldlab (cfl {args.cfl}, stepper {args.stepper or 'default'}, riemann "
          f"{args.riemann or 'default'}): {ours_seconds:.2f} s "
          f"({ours_seconds / args.samples:.3f} s/sample)")
    print(f"  PyClaw:   {pyclaw_seconds:.2f} s ({pyclaw_seconds / args.samples:.3f} s/sample)")
    print(f"  ratio PyClaw / fieldlab (wall): {result['speedup']:.2f}x")
    print(f"  CPU seconds: fieldlab {ours_cpu:.2f}, PyClaw {pyclaw_cpu:.2f} (incl. imports and "
          f"HDF5 writing), ratio {result['cpu_ratio']:.2f}x")
    print(f"  load average during the run: {os.getloadavg()}")
    print(f"  relative L1 difference of h at t = 1: mean {result['relative_l1_difference_final_h']['mean']:.2e}, "
          f"max {result['relative_l1_difference_final_h']['max']:.2e}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
