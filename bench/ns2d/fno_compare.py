#!/usr/bin/env python3
"""Side by side: fieldlab's ns2d generator vs a PyTorch CPU port of the FNO reference generator.

The reference (Li et al., FNO, "navier_stokes_2d") is a pseudo-spectral vorticity solver:
rfft2 of the vorticity, velocity from the streamfunction in Fourier space, the nonlinear term in
physical space with 2/3 dealiasing, Crank-Nicolson for diffusion and forward Euler for advection
at dt = 1e-4, solved at 256^2 and stored at 64^2. This port follows that published description.

Same work on both sides: K trajectories of the FNO setup (nu = 1e-3, forcing 0.1(sin 2pi(x+y) +
cos 2pi(x+y)), initial field N(0, 7^1.5 (-lap + 49)^-2.5)) solved at 256^2 to time T, frames
every unit of time, stored at 64^2, same thread count, run one after the other in this process
tree. T is shortened from the reference's 50 (the reference needs 10^4 steps per unit time);
throughput scales linearly in T for both.

Accuracy cross-check: both solve the same deterministic start (a double shear layer) and the
64^2 results are compared (relative L2).

Usage: fno_compare.py FIELDLAB_BINARY [--threads 2] [--trajectories 2] [--t-end 0.5] [--json OUT]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import torch


def fno_forcing(n):
    x = torch.linspace(0, 1, n + 1, dtype=torch.float64)[:-1]
    X, Y = torch.meshgrid(x, x, indexing="ij")
    return 0.1 * (torch.sin(2 * math.pi * (X + Y)) + torch.cos(2 * math.pi * (X + Y)))


def gaussian_random_field(batch, n, alpha=2.5, tau=7.0, generator=None):
    sigma = tau ** (0.5 * (2 * alpha - 2))
    k = torch.cat((torch.arange(0, n // 2), torch.arange(-n // 2, 0))).to(torch.float64)
    kx, ky = torch.meshgrid(k, k, indexing="ij")
    sqrt_eig = n * n * math.sqrt(2.0) * sigma * (4 * math.pi**2 * (kx**2 + ky**2) + tau**2) ** (-alpha / 2)
    sqrt_eig[0, 0] = 0.0
    coeff = torch.randn(batch, n, n, 2, dtype=torch.float64, generator=generator)
    coeff = torch.complex(sqrt_eig * coeff[..., 0], sqrt_eig * coeff[..., 1])
    return torch.fft.ifft2(coeff).real


def double_shear(n, rho=42.0, delta=0.05):
    """Vorticity of the double shear layer on the unit square (as fieldlab's --initial-condition)."""
    x = np.arange(n) / n
    S, R = np.meshgrid(x, x, indexing="ij")
    arg = np.where(R <= 0.5, rho * (R - 0.25), rho * (0.75 - R))
    du_dy = np.where(R <= 0.5, rho, -rho) / np.cosh(arg) ** 2
    dv_dx = 2 * math.pi * delta * np.cos(2 * math.pi * S)
    return torch.from_numpy(dv_dx - du_dy)[None]


def navier_stokes_2d(w0, f, visc, t_end, delta_t, record_steps):
    """Port of the FNO reference solver (batch, n, n) float64."""
    n = w0.shape[-1]
    k_max = n // 2
    steps = math.ceil(t_end / delta_t)
    w_h = torch.fft.rfft2(w0)
    f_h = torch.fft.rfft2(f)[None]
    record_time = math.floor(steps / record_steps)
    k_y = torch.cat((torch.arange(0, k_max), torch.arange(-k_max, 0))).repeat(n, 1).to(torch.float64)
    k_x = k_y.transpose(0, 1)
    k_x, k_y = k_x[..., : k_max + 1], k_y[..., : k_max + 1]
    lap = 4 * math.pi**2 * (k_x**2 + k_y**2)
    lap[0, 0] = 1.0
    dealias = ((torch.abs(k_y) <= 2.0 / 3.0 * k_max) & (torch.abs(k_x) <= 2.0 / 3.0 * k_max)).to(torch.float64)[None]
    sol = []
    for j in range(steps):
        psi_h = w_h / lap
        q = torch.fft.irfft2(2 * math.pi * k_y * 1j * psi_h, s=(n, n))
        v = torch.fft.irfft2(-2 * math.pi * k_x * 1j * psi_h, s=(n, n))
        w_x = torch.fft.irfft2(2 * math.pi * k_x * 1j * w_h, s=(n, n))
        w_y = torch.fft.irfft2(2 * math.pi * k_y * 1j * w_h, s=(n, n))
        F_h = dealias * torch.fft.rfft2(q * w_x + v * w_y)
        w_h = (-delta_t * F_h + delta_t * f_h + (1.0 - 0.5 * delta_t * visc * lap) * w_h) / (
            1.0 + 0.5 * delta_t * visc * lap)
        if (j + 1) % record_time == 0:
            sol.append(torch.fft.irfft2(w_h, s=(n, n)))
    return torch.stack(sol, -1)


def run_fieldlab(binary, out, threads, trajectories, t_end, extra):
    frames = int(round(t_end)) + 1 if t_end >= 1 else 2
    dt_out = 1.0 if t_end >= 1 else t_end
    cmd = [binary, "generate", "ns2d", "--out", out, "--overwrite", "--quiet",
           "--trajectories", str(trajectories), "--resolution", "64", "--solve-resolution", "256",
           "--frames", str(frames), "--dt-out", str(dt_out), "--viscosity", "1e-3",
           "--threads", str(threads), "--dtype", "float64"] + extra
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("fieldlab")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--trajectories", type=int, default=2)
    p.add_argument("--t-end", type=float, default=0.5)
    p.add_argument("--json")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    tmp = tempfile.mkdtemp()
    n, visc, dt_ref = 256, 1e-3, 1e-4
    f = fno_forcing(n)

    # Throughput: K random trajectories each.
    g = torch.Generator().manual_seed(0)
    w0 = gaussian_random_field(a.trajectories, n, generator=g)
    start = time.perf_counter()
    navier_stokes_2d(w0, f, visc, a.t_end, dt_ref, max(1, int(round(a.t_end))))
    torch_seconds = time.perf_counter() - start
    ours_seconds = run_fieldlab(a.fieldlab, os.path.join(tmp, "ours.h5"), a.threads, a.trajectories, a.t_end, [])

    # Accuracy: the same deterministic start on both sides.
    ref = navier_stokes_2d(double_shear(n), f, visc, a.t_end, dt_ref, 1)[0, ::4, ::4, -1].numpy()
    run_fieldlab(a.fieldlab, os.path.join(tmp, "shear.h5"), a.threads, 1, a.t_end,
                 ["--initial-condition", "double-shear"])
    with h5py.File(os.path.join(tmp, "shear.h5")) as h:
        ours = h["vorticity"][0, -1]
    rel_l2 = float(np.linalg.norm(ours - ref) / np.linalg.norm(ref))

    result = {
        "threads": a.threads, "trajectories": a.trajectories, "t_end": a.t_end,
        "solve_resolution": n, "stored_resolution": 64,
        "torch_version": torch.__version__,
        "reference_seconds": torch_seconds, "fieldlab_seconds": ours_seconds,
        "reference_trajectories_per_s": a.trajectories / torch_seconds,
        "fieldlab_trajectories_per_s": a.trajectories / ours_seconds,
        "throughput_ratio": torch_seconds / ours_seconds,
        "reference_steps": math.ceil(a.t_end / dt_ref),
        "double_shear_relative_l2_vs_reference": rel_l2,
    }
    print(json.dumps(result, indent=2))
    if a.json:
        with open(a.json, "w") as out:
            json.dump(result, out, indent=2)


if __name__ == "__main__":
    sys.exit(main())
