"""What the Python binding costs: the same work from Python and from the CLI, side by side.

  * generation: `fieldlab.generate("ns2d", ...)` vs `fieldlab generate ns2d ...` (same options);
  * training:   `fieldlab.train("sinenet4", ...)` vs `fieldlab train sinenet4 ...`;
  * reading one frame: `fieldlab.open(path)["vorticity"][i, t]` vs h5py's `f["vorticity"][i, t]`.

Each pair runs the same work on the same threads, Python in this process and the CLI as a
subprocess (its time includes process start-up, ~10 ms, which is part of what a CLI user pays).
Prints one JSON object with the times and the ratios python / cli (<= 1.05: nothing measurable)
and fieldlab / h5py for the frame reads.

Usage: PYTHONPATH=build/python build/test-venv/bin/python bench/python/binding_overhead.py \
           [--cli build/apps/fieldlab] [--threads 2] [--out bench/results/python_binding.json]
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import random
import subprocess
import tempfile
import time

import h5py
import numpy as np

import fieldlab

GENERATE = dict(trajectories=16, resolution=64, solve_resolution=128, frames=20, dt_out=0.5, seed=3)
TRAIN = dict(epochs=2, batch=8, seed=1)


def cli_args(options: dict) -> list[str]:
    out = []
    for k, v in options.items():
        out += [f"--{k.replace('_', '-')}", str(v)]
    return out


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--cli", default="build/apps/fieldlab")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default="")
    p.add_argument("--reads", type=int, default=2000)
    a = p.parse_args()
    fieldlab.set_num_threads(a.threads)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="fieldlab_bench_"))
    result: dict = {"machine": platform.processor() or platform.machine(), "threads": a.threads,
                    "cpu_count": os.cpu_count()}

    # Generation: warm the caches once, then one timed run each.
    cli_gen = [a.cli, "generate", "ns2d", "--quiet", "--overwrite", "--threads", str(a.threads),
               *cli_args(GENERATE)]
    subprocess.run(cli_gen + ["--out", str(tmp / "warm.h5")], check=True)
    t_cli = timed(lambda: subprocess.run(cli_gen + ["--out", str(tmp / "cli.h5")], check=True))
    t_py = timed(lambda: fieldlab.generate("ns2d", out=str(tmp / "py.h5"), overwrite=True,
                                           threads=a.threads, **GENERATE))
    with h5py.File(tmp / "cli.h5") as f, h5py.File(tmp / "py.h5") as g:
        assert np.array_equal(f["vorticity"][...], g["vorticity"][...]), "generated data differ"
    result["generate_ns2d"] = {"options": GENERATE, "cli_s": t_cli, "python_s": t_py,
                               "ratio_python_over_cli": t_py / t_cli}

    # Training on that file.
    data = str(tmp / "cli.h5")
    cli_train = [a.cli, "train", "sinenet4", "--quiet", "--overwrite", "--data", data,
                 "--threads", str(a.threads), *cli_args(TRAIN)]
    t_cli = timed(lambda: subprocess.run(cli_train + ["--out", str(tmp / "cli_ckpt.h5")],
                                         check=True))
    t_py = timed(lambda: fieldlab.train("sinenet4", data=data, out=str(tmp / "py_ckpt.h5"),
                                        overwrite=True, **TRAIN))
    result["train_sinenet4"] = {"options": TRAIN, "cli_s": t_cli, "python_s": t_py,
                                "ratio_python_over_cli": t_py / t_cli}

    # One frame at a time, random (trajectory, time), the same sequence for both.
    rng = random.Random(0)
    picks = [(rng.randrange(GENERATE["trajectories"]), rng.randrange(GENERATE["frames"]))
             for _ in range(a.reads)]
    with h5py.File(data) as f:
        d = f["vorticity"]
        t_h5py = timed(lambda: [d[i, t] for i, t in picks])
    ds = fieldlab.open(data)
    v = ds["vorticity"]
    t_ours = timed(lambda: [v[i, t] for i, t in picks])
    assert np.array_equal(v[picks[0][0], picks[0][1]], h5py.File(data)["vorticity"][picks[0]])
    result["read_frame"] = {"reads": a.reads, "frame": [GENERATE["resolution"]] * 2,
                            "h5py_us_per_frame": 1e6 * t_h5py / a.reads,
                            "fieldlab_us_per_frame": 1e6 * t_ours / a.reads,
                            "ratio_fieldlab_over_h5py": t_ours / t_h5py}
    text = json.dumps(result, indent=2)
    print(text)
    if a.out:
        pathlib.Path(a.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
