#!/usr/bin/env python3
"""Every benchmark of issue 6 side by side in one run (driven by bench/quantum/run_idle.sh):

  stream    the machine's memory bandwidth for a gate's access pattern (bench_quantum --stream)
  gates     time per 1-qubit (H) and 2-qubit (CNOT) gate, 10-28 qubits, fieldlab vs qulacs vs
            qiskit-aer, fusion off everywhere, with the memory-bandwidth fraction of each; ours
            and qulacs alternate --rounds times per row (best of each; --sizes to pick registers)
  circuits  20-qubit QFT and a random U3 + CNOT brickwork: fieldlab fused and unfused, qulacs plain
            and optimize_light, qiskit-aer with its default fusion
  qkan      one QKAN layer forward + backward (MSE loss) against the `qkan` package (exact solver,
            fast_measure=False: the physical <Z>, what fieldlab computes) in complex128 and its
            default complex64, identical shapes
  qrc       onion QRC time steps per second (exact density-matrix features)

Each at 1 and 2 threads. Every simulator reads the same OpenQASM files; each peer runs in its own
subprocess with OMP_NUM_THREADS / QULACS_NUM_THREADS / max_parallel_threads set. Wall time and
process CPU time are recorded for everything (CPU time is what stays meaningful on a loaded
machine). Simulator results are checked (norm) before they count. Writes
bench/results/quantum_{stream,gates,circuits,qkan,qrc}.json and prints markdown tables; ratios are
ours / peer (below 1.0: fieldlab is faster) or peer / ours for the QKAN speed-up.

Run: bench/quantum/run_idle.sh (builds bench_quantum, then runs this with the bench virtualenv).
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import time

AMPLITUDE_BYTES = 16  # complex128


def gates_for(n):
    """Gates per timed run: enough work to time, little enough to keep 28 qubits to seconds."""
    if n <= 18:
        return 10 * n
    if n <= 20:
        return 2 * n
    if n <= 22:
        return n
    return 8


def emit(folder, name, n, body):
    path = os.path.join(folder, name + ".qasm")
    with open(path, "w") as f:
        f.write('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[%d];\n' % n)
        f.write("".join(body))
    return {"name": name, "path": path, "qubits": n, "gates": len(body)}


def write_gate_circuits(folder, sizes):
    out = []
    for n in sizes:
        g = gates_for(n)
        # Targets cycle through the register so narrow and wide strides are both timed.
        out.append(("h", emit(folder, "h_gates_%d" % n, n,
                              ["h q[%d];\n" % (k % n) for k in range(g)])))
        out.append(("cx", emit(folder, "cx_gates_%d" % n, n,
                               ["cx q[%d],q[%d];\n" % (k % n, (k + 1) % n) for k in range(g)])))
    return out


def write_circuits(folder, n):
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
    qft = emit(folder, "qft_%d" % n, n, body)
    rng = random.Random(7)
    body = []
    for d in range(20):
        for q in range(n):
            body.append("u3(%.17g,%.17g,%.17g) q[%d];\n" % (rng.uniform(-3, 3), rng.uniform(-3, 3),
                                                         rng.uniform(-3, 3), q))
        for q in range(d % 2, n - 1, 2):
            body.append("cx q[%d],q[%d];\n" % (q, q + 1))
    return [qft, emit(folder, "random_%d" % n, n, body)]


def worker(kind, path, reps):
    """Runs in a subprocess: prints {"seconds", "cpu_seconds", "norm"} (best of reps after a
    warm-up run; norm NaN when the state was not read back)."""
    import numpy as np
    best, best_cpu = float("inf"), float("inf")
    norm = float("nan")
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
            c0, t0 = time.process_time(), time.perf_counter()
            circuit.update_quantum_state(state)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            if r > 0:
                best, best_cpu = min(best, dt), min(best_cpu, dc)
        norm = float(state.get_squared_norm())
    elif kind.startswith("aer"):
        from qiskit import QuantumCircuit, transpile
        from qiskit_aer import AerSimulator
        qc = QuantumCircuit.from_qasm_file(path)
        read_back = qc.num_qubits <= 24  # a 28-qubit copy into Python would double the memory
        if read_back:
            qc.save_statevector()
        else:
            # Aer skips a circuit that saves nothing (it returned in microseconds at 26 and 28
            # qubits): save one amplitude, O(1), so the gates really run.
            qc.save_amplitudes([0])
        threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
        options = {"method": "statevector", "max_parallel_threads": threads}
        if kind == "aer-nofusion":
            options["fusion_enable"] = False
        sim = AerSimulator(**options)
        tqc = transpile(qc, sim, optimization_level=0)
        for r in range(reps + 1):
            c0 = time.process_time()
            res = sim.run(tqc, shots=1).result()
            dc = time.process_time() - c0  # includes Aer's result assembly: an upper bound
            dt = res.results[0].time_taken  # Aer's own simulation time, without Python
            if r > 0:
                best, best_cpu = min(best, dt), min(best_cpu, dc)
        if read_back:
            vec = np.asarray(res.get_statevector())
            norm = float(np.vdot(vec, vec).real)
    else:
        raise SystemExit("unknown worker " + kind)
    print(json.dumps({"seconds": best, "cpu_seconds": best_cpu, "norm": norm}))


def run_worker(kind, path, reps, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), QULACS_NUM_THREADS=str(threads))
    try:
        out = subprocess.run([sys.executable, __file__, "--worker", kind, path, str(reps)], env=env,
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
    except (subprocess.CalledProcessError, ValueError, IndexError) as e:
        print("  %s failed on %s: %s" % (kind, path, getattr(e, "stderr", e)), file=sys.stderr)
        return {"seconds": float("nan"), "cpu_seconds": float("nan"), "norm": float("nan")}
    if not math.isnan(r["norm"]) and abs(r["norm"] - 1) > 1e-6:
        print("  %s lost the norm on %s (%g): not counted" % (kind, path, r["norm"]),
              file=sys.stderr)
        r["seconds"] = r["cpu_seconds"] = float("nan")
    return r


def run_ours(bench, args, threads):
    cmd = [bench] + args + ["--threads", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ours_qasm(bench, path, reps, threads, fusion, parallel_threshold=None):
    args = ["--qasm", path, "--reps", str(reps)] + ([] if fusion else ["--no-fusion"])
    if parallel_threshold is not None:
        args += ["--parallel-threshold", str(parallel_threshold)]
    return run_ours(bench, args, threads)


def qkan_peer(batch, n_in, n_out, reps, threads, runs):
    """qkan package, exact solver, fast_measure=False: forward + backward of one layer with the
    MSE loss, complex128/float64 and its default complex64/float32."""
    import torch
    from qkan import QKANLayer
    torch.set_num_threads(threads)
    results = {}
    for label, cdt, pdt in (("complex128", torch.complex128, torch.float64),
                            ("complex64", torch.complex64, torch.float32)):
        layer = QKANLayer(n_in, n_out, reps=reps, solver="exact", fast_measure=False,
                          c_dtype=cdt, p_dtype=pdt, seed=0)
        x = torch.rand(batch, n_in, dtype=pdt) * 2 - 1
        y = torch.rand(batch, n_out, dtype=pdt) * 2 - 1
        best, best_cpu = float("inf"), float("inf")
        for r in range(runs + 1):
            layer.zero_grad()
            c0, t0 = time.process_time(), time.perf_counter()
            loss = ((layer(x) - y) ** 2).mean()
            loss.backward()
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            if r > 0:
                best, best_cpu = min(best, dt), min(best_cpu, dc)
        results[label] = {"seconds": best, "cpu_seconds": best_cpu}
    print(json.dumps(results))


def run_qkan_peer(shape, threads, runs):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, __file__, "--qkan-worker", ",".join(map(str, shape)),
                          str(threads), str(runs)], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def nan_last(x):
    """Sort key: a failed run (NaN) never counts as the best."""
    return float("inf") if math.isnan(x) else x


def fmt(x, digits=3):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return "%.*g" % (digits, x)


def ratio(a, b):
    return a / b if b and not math.isnan(a) and not math.isnan(b) else float("nan")


def table(title, header, rows):
    print("\n### %s\n" % title)
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")


def save(out_dir, name, data):
    path = os.path.join(out_dir, "quantum_%s.json" % name)
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    return path


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--qkan-worker":
        qkan_peer(*[int(v) for v in sys.argv[2].split(",")], int(sys.argv[3]), int(sys.argv[4]))
        return
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", required=True, help="path of the bench_quantum executable")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes: checks the pipeline only")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--folder", default="build/bench-quantum-qasm")
    ap.add_argument("--out-dir", default="bench/results")
    ap.add_argument("--only", default="stream,gates,circuits,qkan,qrc")
    ap.add_argument("--sizes", default=None,
                    help="gate table register sizes, e.g. 20,22 (default 10-28 in steps of 2)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="gate table: ours and qulacs alternate this many times per row, best "
                         "of each kept (this VM drifts between runs by more than the margins)")
    a = ap.parse_args()
    threads_list = [int(t) for t in a.threads.split(",")]
    only = set(a.only.split(","))
    os.makedirs(a.folder, exist_ok=True)
    os.makedirs(a.out_dir, exist_ok=True)
    gate_sizes = [10, 12] if a.smoke else [10, 12, 14, 16, 18, 20, 22, 24, 26, 28]
    if a.sizes:
        gate_sizes = [int(v) for v in a.sizes.split(",")]
    circuit_n = 10 if a.smoke else 20
    qkan_shapes = [(32, 4, 4, 2)] if a.smoke else [(256, 16, 16, 3), (1000, 2, 5, 10)]
    qrc_steps = 20 if a.smoke else 200
    meta = {"smoke": a.smoke, "threads": threads_list, "time": time.strftime("%Y-%m-%d %H:%M:%S"),
            "machine": os.uname().machine, "cpus": os.cpu_count()}
    started = time.time()

    stream = {}
    if "stream" in only or "gates" in only:
        for t in threads_list:
            stream[t] = run_ours(a.bench, ["--stream"], t)
        print("stream bandwidth (GB/s, read + write in place): " +
              ", ".join("%d thread(s) %.2f" % (t, stream[t]["gb_per_s"]) for t in threads_list))
        save(a.out_dir, "stream", {"meta": meta, "rows": list(stream.values())})

    if "gates" in only:
        rows = []
        for kind, c in write_gate_circuits(a.folder, gate_sizes):
            reps = 1 if c["qubits"] >= 24 else 3
            for t in threads_list:
                # Ours and qulacs alternate (ours, qulacs, ours, ...) so both see the same drift;
                # the best of each counts. Aer, far behind, runs once.
                ours_rounds, qul_rounds = [], []
                for _ in range(max(1, a.rounds)):
                    ours_rounds.append(ours_qasm(a.bench, c["path"], reps, t, False))
                    qul_rounds.append(run_worker("qulacs", c["path"], reps, t))
                ours = min(ours_rounds, key=lambda r: r["seconds"])
                qul = min(qul_rounds, key=lambda r: nan_last(r["seconds"]))
                aer = run_worker("aer-nofusion", c["path"], reps, t)
                g = c["gates"]
                bytes_per_gate = 2 * AMPLITUDE_BYTES * 2 ** c["qubits"]
                row = {"gate": kind, "qubits": c["qubits"], "threads": t, "gates": g,
                       "rounds": len(ours_rounds),
                       "round_ratios_vs_qulacs": [ratio(o["seconds"], q["seconds"])
                                                  for o, q in zip(ours_rounds, qul_rounds)]}
                for label, r in (("ours", ours), ("qulacs", qul), ("aer", aer)):
                    row[label + "_s_per_gate"] = r["seconds"] / g
                    row[label + "_cpu_s_per_gate"] = r["cpu_seconds"] / g
                    row[label + "_bandwidth_fraction"] = (
                        bytes_per_gate / (r["seconds"] / g) / (stream[t]["gb_per_s"] * 1e9))
                row["ratio_vs_qulacs"] = ratio(row["ours_s_per_gate"], row["qulacs_s_per_gate"])
                row["ratio_vs_aer"] = ratio(row["ours_s_per_gate"], row["aer_s_per_gate"])
                row["cpu_ratio_vs_qulacs"] = ratio(row["ours_cpu_s_per_gate"],
                                                   row["qulacs_cpu_s_per_gate"])
                if t > 1 and c["qubits"] <= 20:
                    # The OpenMP threshold (default 14 qubits): the same gates with the kernels
                    # forced parallel and forced serial; the crossover is where to put it.
                    par = ours_qasm(a.bench, c["path"], reps, t, False, parallel_threshold=1)
                    ser = ours_qasm(a.bench, c["path"], reps, t, False, parallel_threshold=99)
                    row["ours_forced_parallel_s_per_gate"] = par["seconds"] / g
                    row["ours_forced_serial_s_per_gate"] = ser["seconds"] / g
                rows.append(row)
                print("  gates %-2s n=%2d t=%d done" % (kind, c["qubits"], t), file=sys.stderr)
        save(a.out_dir, "gates", {"meta": meta, "stream": list(stream.values()), "rows": rows})
        table("Time per gate (fusion off everywhere; ours and qulacs best of %d alternating "
              "rounds; wall, CPU in brackets; bw = fraction of the stream bandwidth)" % a.rounds,
              ["gate", "qubits", "threads", "ours", "ours bw", "qulacs", "qulacs bw", "qiskit-aer",
               "ours/qulacs", "per-round ours/qulacs", "ours/aer", "ours/qulacs (CPU)"],
              [[r["gate"], r["qubits"], r["threads"],
                "%s s (%s)" % (fmt(r["ours_s_per_gate"]), fmt(r["ours_cpu_s_per_gate"])),
                fmt(r["ours_bandwidth_fraction"], 2),
                "%s s (%s)" % (fmt(r["qulacs_s_per_gate"]), fmt(r["qulacs_cpu_s_per_gate"])),
                fmt(r["qulacs_bandwidth_fraction"], 2),
                "%s s (%s)" % (fmt(r["aer_s_per_gate"]), fmt(r["aer_cpu_s_per_gate"])),
                fmt(r["ratio_vs_qulacs"], 2),
                ", ".join(fmt(x, 2) for x in r["round_ratios_vs_qulacs"]),
                fmt(r["ratio_vs_aer"], 2), fmt(r["cpu_ratio_vs_qulacs"], 2)] for r in rows])
        table("OpenMP threshold: our per-gate wall time with the kernels forced parallel / serial",
              ["gate", "qubits", "threads", "parallel (s)", "serial (s)", "parallel/serial"],
              [[r["gate"], r["qubits"], r["threads"], fmt(r["ours_forced_parallel_s_per_gate"]),
                fmt(r["ours_forced_serial_s_per_gate"]),
                fmt(ratio(r["ours_forced_parallel_s_per_gate"],
                          r["ours_forced_serial_s_per_gate"]), 2)]
               for r in rows if "ours_forced_parallel_s_per_gate" in r])

    if "circuits" in only:
        rows = []
        for c in write_circuits(a.folder, circuit_n):
            for t in threads_list:
                of = ours_qasm(a.bench, c["path"], 2, t, True)
                op = ours_qasm(a.bench, c["path"], 2, t, False)
                peers = {k: run_worker(k, c["path"], 2, t)
                         for k in ("qulacs", "qulacs-fused", "aer")}
                best_ours = min(of["seconds"], op["seconds"])
                best_qulacs = min(peers["qulacs"]["seconds"], peers["qulacs-fused"]["seconds"])
                rows.append({"circuit": c["name"], "qubits": c["qubits"], "gates": c["gates"],
                             "threads": t, "ours_fused": of, "ours_unfused": op,
                             "qulacs": peers["qulacs"], "qulacs_optimize_light":
                             peers["qulacs-fused"], "aer": peers["aer"],
                             "ratio_vs_qulacs": ratio(best_ours, best_qulacs),
                             "ratio_vs_aer": ratio(best_ours, peers["aer"]["seconds"])})
                print("  circuit %s t=%d done" % (c["name"], t), file=sys.stderr)
        save(a.out_dir, "circuits", {"meta": meta, "rows": rows})
        table("Circuits (wall s, CPU s in brackets; ratios: our better variant / peer's better)",
              ["circuit", "threads", "gates", "ours fused", "ours unfused", "qulacs",
               "qulacs optimize_light", "qiskit-aer", "ours/qulacs", "ours/aer"],
              [[r["circuit"], r["threads"], r["gates"]] +
               ["%s (%s)" % (fmt(r[k]["seconds"]), fmt(r[k]["cpu_seconds"]))
                for k in ("ours_fused", "ours_unfused", "qulacs", "qulacs_optimize_light", "aer")] +
               [fmt(r["ratio_vs_qulacs"], 2), fmt(r["ratio_vs_aer"], 2)] for r in rows])

    if "qkan" in only:
        rows = []
        for shape in qkan_shapes:
            for t in threads_list:
                ours = run_ours(a.bench, ["--qkan-layer", ",".join(map(str, shape))], t)
                peer = run_qkan_peer(shape, t, 3 if a.smoke else 5)
                row = {"batch": shape[0], "in": shape[1], "out": shape[2], "reps": shape[3],
                       "threads": t, "ours_float64": ours, "qkan_complex128": peer["complex128"],
                       "qkan_complex64": peer["complex64"]}
                for dt in ("complex128", "complex64"):
                    row["speedup_vs_%s" % dt] = ratio(peer[dt]["seconds"], ours["seconds"])
                    row["cpu_speedup_vs_%s" % dt] = ratio(peer[dt]["cpu_seconds"],
                                                         ours["cpu_seconds"])
                rows.append(row)
        save(a.out_dir, "qkan", {"meta": meta, "rows": rows})
        table("QKAN layer forward + backward (MSE loss) vs qkan exact solver (wall ms, CPU ms in "
              "brackets; speed-up = qkan / ours, CPU-time speed-up in brackets)",
              ["batch x in -> out, r", "threads", "fieldlab float64", "qkan complex128",
               "speed-up", "qkan complex64", "speed-up"],
              [["%dx%d->%d, r=%d" % (r["batch"], r["in"], r["out"], r["reps"]), r["threads"],
                "%s (%s)" % (fmt(1e3 * r["ours_float64"]["seconds"]),
                             fmt(1e3 * r["ours_float64"]["cpu_seconds"])),
                "%s (%s)" % (fmt(1e3 * r["qkan_complex128"]["seconds"]),
                             fmt(1e3 * r["qkan_complex128"]["cpu_seconds"])),
                "x%s (x%s)" % (fmt(r["speedup_vs_complex128"]), fmt(r["cpu_speedup_vs_complex128"])),
                "%s (%s)" % (fmt(1e3 * r["qkan_complex64"]["seconds"]),
                             fmt(1e3 * r["qkan_complex64"]["cpu_seconds"])),
                "x%s (x%s)" % (fmt(r["speedup_vs_complex64"]), fmt(r["cpu_speedup_vs_complex64"]))]
               for r in rows])

    if "qrc" in only:
        rows = [run_ours(a.bench, ["--qrc-steps", "--steps", str(qrc_steps)], t)
                for t in threads_list]
        save(a.out_dir, "qrc", {"meta": meta, "rows": rows})
        table("Onion QRC (four 4-qubit density-matrix sub-reservoirs, exact features)",
              ["threads", "steps", "time steps/s (wall)", "time steps/s (CPU)"],
              [[r["threads"], r["steps"], fmt(r["steps_per_s"]), fmt(r["steps_per_cpu_s"])]
               for r in rows])

    print("\nwrote %s/quantum_*.json in %.0f s" % (a.out_dir, time.time() - started))


if __name__ == "__main__":
    main()
