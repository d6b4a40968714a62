#!/usr/bin/env python3
"""PyTorch (CPU) twin of fieldlab's LPINN and PINN for the convection benchmark (issue 14).

Written from nn/train/tasks/convection_pinn.hpp's description, not from any published code:

  LPINN  two tanh MLPs on (cos x0, sin x0, t): the X-branch 3,50,50,1 with X = x0 + s t output (s = max(1, |c|)) and
         the u-branch 3,50,50,50,50,50,1; r_X = X_t - c, r_u = u_t - nu u_xx with the physical
         u_xx = u''/X'^2 - u' X''/X'^3 (' = d/dx0; computed only for nu > 0, as the task does:
         this benchmark's nu = 0 needs none);
         loss "norm": 10 |r_X| + |r_u| + 1000 (|X(x0,0) - x0| + |u(x0,0) - sin x0|), un-squared
         L2 norms over the points.
  PINN   a tanh MLP 2,50,50,50,50,1 on raw (x, t): MSE(u_t + c u_x) + MSE(u(x,0) - sin x)
         + MSE(u(0,t) - u(2 pi,t)).

Collocation: nx x nt points linspace(0, 2 pi) x linspace(0, 1), end points included, full batch.
Input derivatives by torch.autograd.grad(create_graph=True) (double backward for the weights).
float32, Xavier-uniform weights and zero biases (fieldlab's initialisation).

  torch_pinn.py measure --method lpinn|pinn --kind adam|lbfgs --threads T [--nx --nt --steps]
      one measurement in this process: prints one JSON object (ms per Adam step: median of
      --steps after --warmup; ms per L-BFGS iteration: each step()'s time over the iterations it
      took, from optimizer.state's n_iter; peak_rss_mib = VmHWM, ru_maxrss_mib beside it).
  torch_pinn.py all [--threads 1,2] [--json OUT]
      every (method, kind, threads) in its own fresh subprocess; one JSON list.
"""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time


def status_mib(field):
    # VmHWM, not only ru_maxrss: Linux keeps ru_maxrss across execve, so a child can report its
    # parent's peak.
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024.0
    return 0.0


def mlp(torch, widths):
    layers = []
    for i in range(len(widths) - 1):
        lin = torch.nn.Linear(widths[i], widths[i + 1])
        torch.nn.init.xavier_uniform_(lin.weight)
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i + 2 < len(widths):
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def grad(torch, y, x):
    return torch.autograd.grad(y, x, torch.ones_like(y), create_graph=True)[0]


class Lpinn:
    def __init__(self, torch, nx, nt, c, nu, width=50, depth_x=2, depth_u=5):
        self.torch, self.c, self.nu = torch, c, nu
        self.net_x = mlp(torch, [3] + [width] * depth_x + [1])
        self.net_u = mlp(torch, [3] + [width] * depth_u + [1])
        x = torch.linspace(0, 2 * math.pi, nx)
        t = torch.linspace(0, 1, nt)
        tt, xx = torch.meshgrid(t, x, indexing="ij")  # t-major: point j * nx + i
        self.x0 = xx.reshape(-1, 1).clone().requires_grad_(True)
        self.t = tt.reshape(-1, 1).clone().requires_grad_(True)
        self.x_init = x.reshape(-1, 1)
        self.in_init = torch.cat(
            [torch.cos(self.x_init), torch.sin(self.x_init), torch.zeros_like(self.x_init)], 1)
        self.u0 = torch.sin(self.x_init)

    def parameters(self):
        return list(self.net_x.parameters()) + list(self.net_u.parameters())

    def loss(self):
        torch = self.torch
        inp = torch.cat([torch.cos(self.x0), torch.sin(self.x0), self.t], 1)
        # X = x0 + s t x_net as fieldlab's LPINN (s = max(1, |c|), the task's speed_scale).
        X = self.x0 + max(1.0, abs(self.c)) * self.t * self.net_x(inp)
        u = self.net_u(inp)
        X_t = grad(torch, X, self.t)
        u_t = grad(torch, u, self.t)
        r_x = X_t - self.c
        r_u = u_t
        if self.nu > 0:  # as the task: u_xx only where it enters the residual
            X_1, u_1 = grad(torch, X, self.x0), grad(torch, u, self.x0)
            X_2, u_2 = grad(torch, X_1, self.x0), grad(torch, u_1, self.x0)
            r_u = r_u - self.nu * (u_2 / X_1**2 - u_1 * X_2 / X_1**3)
        X_init = self.x_init + 0.0 * self.net_x(self.in_init)  # t = 0: s t x_net vanishes
        u_init = self.net_u(self.in_init)
        return (10 * torch.linalg.vector_norm(r_x) + torch.linalg.vector_norm(r_u) + 1000 *
                (torch.linalg.vector_norm(X_init - self.x_init) +
                 torch.linalg.vector_norm(u_init - self.u0)))


class Pinn:
    def __init__(self, torch, nx, nt, c, widths=(2, 50, 50, 50, 50, 1)):
        self.torch, self.c = torch, c
        self.net = mlp(torch, list(widths))
        x = torch.linspace(0, 2 * math.pi, nx)
        t = torch.linspace(0, 1, nt)
        tt, xx = torch.meshgrid(t, x, indexing="ij")
        self.x = xx.reshape(-1, 1).clone().requires_grad_(True)
        self.t = tt.reshape(-1, 1).clone().requires_grad_(True)
        xi = x.reshape(-1, 1)
        self.initial = torch.cat([xi, torch.zeros_like(xi)], 1)
        self.u0 = torch.sin(xi)
        tj = t.reshape(-1, 1)
        self.left = torch.cat([torch.zeros_like(tj), tj], 1)
        self.right = torch.cat([torch.full_like(tj, 2 * math.pi), tj], 1)

    def parameters(self):
        return list(self.net.parameters())

    def loss(self):
        torch = self.torch
        u = self.net(torch.cat([self.x, self.t], 1))
        r = grad(torch, u, self.t) + self.c * grad(torch, u, self.x)
        return (torch.mean(r**2) + torch.mean((self.net(self.initial) - self.u0)**2) +
                torch.mean((self.net(self.left) - self.net(self.right))**2))


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else 0.5 * (v[n // 2 - 1] + v[n // 2])


def measure(args):
    rss_start = status_mib("VmRSS:")
    import torch
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(args.seed)
    rss_import = status_mib("VmRSS:")
    if args.method == "lpinn":
        task = Lpinn(torch, args.nx, args.nt, args.speed, 0.0)
    else:
        task = Pinn(torch, args.nx, args.nt, args.speed)
    params = task.parameters()
    n_params = sum(p.numel() for p in params)
    times, iters, evals, losses = [], [], [], []
    if args.kind == "adam":
        opt = torch.optim.Adam(params, lr=1e-2)

        def step():
            opt.zero_grad(set_to_none=False)
            l = task.loss()
            l.backward()
            opt.step()
            return l.item()

        for _ in range(args.warmup):
            step()
        for _ in range(args.steps):
            t0 = time.perf_counter()
            losses.append(step())
            times.append(1e3 * (time.perf_counter() - t0))
        per = median(times)
    else:
        opt = torch.optim.LBFGS(params, lr=1, max_iter=20, history_size=50,
                                line_search_fn="strong_wolfe")

        def closure():
            opt.zero_grad(set_to_none=False)
            l = task.loss()
            l.backward()
            return l

        state = opt.state[opt._params[0]]
        n_iter = func_evals = 0
        for i in range(args.warmup + args.steps):
            t0 = time.perf_counter()
            opt.step(closure)
            dt = 1e3 * (time.perf_counter() - t0)
            di, de = state["n_iter"] - n_iter, state["func_evals"] - func_evals
            n_iter, func_evals = state["n_iter"], state["func_evals"]
            if i >= args.warmup:
                times.append(dt / max(di, 1))
                iters.append(di)
                evals.append(de)
        losses.append(float(closure().item()))
        per = median(times)
    out = {
        "engine": "torch", "torch": torch.__version__, "method": args.method, "kind": args.kind,
        "threads": args.threads, "nx": args.nx, "nt": args.nt, "speed": args.speed,
        "parameters": n_params, "steps": args.steps, "warmup": args.warmup,
        "ms": round(per, 3), "ms_all": [round(t, 3) for t in times],
        "peak_rss_mib": round(status_mib("VmHWM:"), 1),
        "ru_maxrss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "rss_start_mib": round(rss_start, 1), "rss_after_import_mib": round(rss_import, 1),
        "final_loss": losses[-1],
    }
    if args.kind == "lbfgs":
        out["iterations"] = iters
        out["evaluations"] = evals
    print(json.dumps(out))


def run_all(args):
    results = []
    for threads in [int(t) for t in args.threads.split(",")]:
        for method in ("lpinn", "pinn"):
            for kind in ("adam", "lbfgs"):
                cmd = [sys.executable, os.path.abspath(__file__), "measure", "--method", method,
                       "--kind", kind, "--threads", str(threads), "--nx", str(args.nx), "--nt",
                       str(args.nt)]
                if args.steps:
                    cmd += ["--steps", str(args.steps)]
                line = subprocess.run(cmd, check=True, capture_output=True,
                                      text=True).stdout.strip().splitlines()[-1]
                results.append(json.loads(line))
                print(line, file=sys.stderr)
    text = json.dumps(results, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--method", choices=["lpinn", "pinn"], required=True)
    m.add_argument("--kind", choices=["adam", "lbfgs"], required=True)
    m.add_argument("--threads", type=int, default=1)
    m.add_argument("--nx", type=int, default=256)
    m.add_argument("--nt", type=int, default=100)
    m.add_argument("--speed", type=float, default=30.0)
    m.add_argument("--steps", type=int, default=None,
                   help="timed steps (default 20 Adam steps, 3 L-BFGS steps of 20 iterations)")
    m.add_argument("--warmup", type=int, default=None, help="untimed steps first (3 Adam, 1 L-BFGS)")
    m.add_argument("--seed", type=int, default=0)
    a = sub.add_parser("all")
    a.add_argument("--threads", default="1,2")
    a.add_argument("--nx", type=int, default=256)
    a.add_argument("--nt", type=int, default=100)
    a.add_argument("--steps", type=int, default=None)
    a.add_argument("--json", default=None)
    args = p.parse_args()
    if args.command == "measure":
        if args.steps is None:
            args.steps = 20 if args.kind == "adam" else 3
        if args.warmup is None:
            args.warmup = 3 if args.kind == "adam" else 1
        measure(args)
    else:
        run_all(args)


if __name__ == "__main__":
    main()
