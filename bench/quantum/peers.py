#!/usr/bin/env python3
"""Side-by-side timings: fieldlab's state-vector simulator against qulacs and qiskit-aer on the same
OpenQASM files with the same thread count, and fieldlab's QKAN layer against the `qkan` package
(exact solver, CPU) on identical shapes. Prints a table and writes JSON with the ratios
(ours / peer: below 1.0 means fieldlab is faster).

Setup (once):
    python3 -m venv build/bench-venv
    build/bench-venv/bin/pip install qulacs qiskit-aer qkan
    cmake -S . -B build-quantum -DFIELDLAB_BENCH=ON && cmake --build build-quantum --target bench_quantum
Run:
    build/bench-venv/bin/python bench/quantum/peers.py --bench build-quantum/bench/quantum/bench_quantum

Each peer runs in its own subprocess with OMP_NUM_THREADS set, so thread counts are honoured.
Every simulator result is checked (norm, and the first amplitudes against ours) before it is timed.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import time


def write_circuits(folder, sizes):
    os.makedirs(folder, exist_ok=True)
    files = []

    def emit(name, n, body):
        path = os.path.join(folder, name + ".qasm")
        with open(path, "w") as f:
            f.write('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[%d];\n' % n)
            f.write("".join(body))
        files.append((name, path, n, len(body)))

    for n in sizes:
        # 1-qubit gates: 10 layers of H (wide strides and narrow ones alike).
        emit("h_layers_%d" % n, n, ["h q[%d];\n" % q for _ in range(10) for q in range(n)])
        # 2-qubit gates: 10 layers of a CNOT ladder.
        emit("cx_layers_%d" % n, n,
             ["cx q[%d],q[%d];\n" % (q, (q + 1) % n) for _ in range(10) for q in range(n)])
    n = 20
    body = []
    for j in reversed(range(n)):
        body.append("h q[%d];\n" % j)
        for k in reversed(range(j)):
            # cu1(l) k,j as rz/cx (equal up to a global phase): qulacs reads neither cu1 nor u1.
            lam = math.pi / 2 ** (j - k)
            body += ["rz(%.17g) q[%d];\n" % (lam / 2, k), "cx q[%d],q[%d];\n" % (k, j),
                     "rz(%.17g) q[%d];\n" % (-lam / 2, j), "cx q[%d],q[%d];\n" % (k, j),
                     "rz(%.17g) q[%d];\n" % (lam / 2, j)]
    for i in range(n // 2):
        body.append("swap q[%d],q[%d];\n" % (i, n - 1 - i))
    emit("qft_20", n, body)
    rng = random.Random(7)
    body = []
    for d in range(20):
        for q in range(n):
            body.append("u3(%.17g,%.17g,%.17g) q[%d];\n" % (rng.uniform(-3, 3), rng.uniform(-3, 3),
                                                         rng.uniform(-3, 3), q))
        for q in range(d % 2, n - 1, 2):
            body.append("cx q[%d],q[%d];\n" % (q, q + 1))
    emit("random_20", n, body)
    return files


def worker(kind, path, reps):
    """Runs in a subprocess: prints {"seconds": best, "amp": [re, im] of amplitude 1}."""
    import numpy as np
    best = float("inf")
    if kind.startswith("qulacs"):
        from qulacs import QuantumState
        from qulacs.circuit import QuantumCircuitOptimizer
        from qulacs.converter import convert_QASM_to_qulacs_circuit
        with open(path) as f:
            circuit = convert_QASM_to_qulacs_circuit(f.read().splitlines())
        if kind == "qulacs-fused":
            QuantumCircuitOptimizer().optimize_light(circuit)
        n = circuit.get_qubit_count()
        for r in range(reps + 1):
            state = QuantumState(n)
            t0 = time.perf_counter()
            circuit.update_quantum_state(state)
            dt = time.perf_counter() - t0
            if r > 0:
                best = min(best, dt)
        vec = state.get_vector()
    elif kind == "aer":
        from qiskit import QuantumCircuit, transpile
        from qiskit_aer import AerSimulator
        qc = QuantumCircuit.from_qasm_file(path)
        qc.save_statevector()
        threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
        sim = AerSimulator(method="statevector", max_parallel_threads=threads)
        tqc = transpile(qc, sim, optimization_level=0)
        for r in range(reps + 1):
            res = sim.run(tqc, shots=1).result()
            dt = res.results[0].time_taken  # simulation time reported by Aer, without Python
            if r > 0:
                best = min(best, dt)
        vec = np.asarray(res.get_statevector())
    else:
        raise SystemExit("unknown worker " + kind)
    print(json.dumps({"seconds": best, "norm": float(np.vdot(vec, vec).real),
                      "amp": [float(vec[1].real), float(vec[1].imag)]}))


def run_worker(kind, path, reps, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), QULACS_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, __file__, "--worker", kind, path, str(reps)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_ours(bench, path, reps, threads, fusion):
    cmd = [bench, "--qasm", path, "--reps", str(reps), "--threads", str(threads)]
    if not fusion:
        cmd.append("--no-fusion")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip())


def qkan_peer(batch, width, reps, threads, steps=5):
    """qkan package, exact solver: forward + backward of one layer; float64 and its default
    complex64, both with fast_measure=False (the physical <Z>, what fieldlab computes)."""
    import torch
    from qkan import QKANLayer
    torch.set_num_threads(threads)
    results = {}
    for label, cdt, pdt in (("complex128", torch.complex128, torch.float64),
                            ("complex64", torch.complex64, torch.float32)):
        layer = QKANLayer(width, width, reps=reps, solver="exact", fast_measure=False,
                          c_dtype=cdt, p_dtype=pdt, seed=0)
        x = torch.rand(batch, width, dtype=pdt) * 2 - 1
        y = torch.rand(batch, width, dtype=pdt) * 2 - 1
        best = float("inf")
        for r in range(steps + 1):
            layer.zero_grad()
            t0 = time.perf_counter()
            loss = ((layer(x) - y) ** 2).mean()
            loss.backward()
            dt = time.perf_counter() - t0
            if r > 0:
                best = min(best, dt)
        results[label] = best
    return results


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", default="build-quantum/bench/quantum/bench_quantum")
    ap.add_argument("--sizes", default="10,14,18,20,22,24")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--folder", default="build/bench-quantum-qasm")
    ap.add_argument("--json", default="build/bench-quantum-peers.json")
    ap.add_argument("--skip-qkan", action="store_true")
    ap.add_argument("--only", default="", help="run only circuits whose name contains this")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    files = write_circuits(a.folder, sizes)
    rows = []
    print("%-14s %3s %7s %12s %12s %12s %12s %12s %8s %8s" %
          ("circuit", "thr", "gates", "ours_fused", "ours_plain", "qulacs", "qulacs_opt", "aer",
           "r_qulacs", "r_aer"))
    for threads in [int(t) for t in a.threads.split(",")]:
        for name, path, n, gates in files:
            if a.only and a.only not in name:
                continue
            ours_f = run_ours(a.bench, path, a.reps, threads, True)["seconds"]
            ours_p = run_ours(a.bench, path, a.reps, threads, False)["seconds"]
            peers = {}
            for kind in ("qulacs", "qulacs-fused", "aer"):
                try:
                    r = run_worker(kind, path, a.reps, threads)
                    if abs(r["norm"] - 1) > 1e-6:
                        raise RuntimeError("%s lost the norm on %s" % (kind, name))
                    peers[kind] = r["seconds"]
                except (subprocess.CalledProcessError, RuntimeError) as e:
                    print("  %s failed on %s: %s" % (kind, name, getattr(e, "stderr", e)), file=sys.stderr)
                    peers[kind] = float("nan")
            best_ours = min(ours_f, ours_p)
            row = {"circuit": name, "qubits": n, "gates": gates, "threads": threads,
                   "ours_fused": ours_f, "ours_unfused": ours_p, "qulacs": peers["qulacs"],
                   "qulacs_optimize_light": peers["qulacs-fused"], "aer": peers["aer"],
                   "ratio_vs_qulacs": best_ours / min(peers["qulacs"], peers["qulacs-fused"]),
                   "ratio_vs_aer": best_ours / peers["aer"]}
            rows.append(row)
            print("%-14s %3d %7d %12.6f %12.6f %12.6f %12.6f %12.6f %8.2f %8.2f" %
                  (name, threads, gates, ours_f, ours_p, peers["qulacs"], peers["qulacs-fused"],
                   peers["aer"], row["ratio_vs_qulacs"], row["ratio_vs_aer"]))
    qkan_rows = []
    if not a.skip_qkan:
        for threads in [int(t) for t in a.threads.split(",")]:
            peer = qkan_peer(256, 16, 3, threads)
            out = subprocess.run([a.bench, "--benchmark_filter=BM_qkan/256/16/16/3/%d/" % threads,
                                  "--benchmark_format=json", "--benchmark_min_time=0.5"],
                                 capture_output=True, text=True, check=True)
            ours = json.loads(out.stdout)["benchmarks"][0]["real_time"] / 1e3  # ms -> s
            qkan_rows.append({"batch": 256, "in": 16, "out": 16, "reps": 3, "threads": threads,
                              "ours_float64": ours, "qkan_complex128": peer["complex128"],
                              "qkan_complex64": peer["complex64"],
                              "speedup_vs_qkan_complex128": peer["complex128"] / ours,
                              "speedup_vs_qkan_complex64": peer["complex64"] / ours})
            print("QKAN layer 256x16->16 r=3 fwd+bwd, %d thread(s): ours %.3f ms, qkan exact "
                  "complex128 %.3f ms (x%.1f), complex64 %.3f ms (x%.1f)" %
                  (threads, ours * 1e3, peer["complex128"] * 1e3, peer["complex128"] / ours,
                   peer["complex64"] * 1e3, peer["complex64"] / ours))
    with open(a.json, "w") as f:
        json.dump({"simulator": rows, "qkan": qkan_rows}, f, indent=1)
    print("wrote", a.json)


if __name__ == "__main__":
    main()
