"""Per-gate time, fieldlab vs qulacs, measured in alternating rounds (ours, qulacs, ours, ...) and
the best of each kept: this VM's speed drifts between runs by more than the margins at 22-28
qubits, and alternating puts both simulators under the same drift. Uses the QASM files written by
peers.py (h_gates_N / cx_gates_N) and peers.py's qulacs worker.

Usage: build/bench-venv/bin/python bench/quantum/interleaved_gates.py --bench build/bench/quantum/bench_quantum
       [--sizes 22,24,26,28] [--threads 1,2] [--rounds 3] [--folder build/bench-quantum-qasm]
Prints a markdown table; writes bench/results/quantum_gates_interleaved.json.
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def ours(bench, path, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([bench, "--qasm", path, "--reps", "1", "--threads", str(threads),
                          "--no-fusion"], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def qulacs(path, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), QULACS_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, os.path.join(HERE, "peers.py"), "--worker", "qulacs",
                          path, "1"], env=env, capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    if abs(r["norm"] - 1) > 1e-6:
        raise SystemExit("qulacs lost the norm on " + path)
    return r["seconds"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", required=True)
    ap.add_argument("--sizes", default="22,24,26,28")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--folder", default="build/bench-quantum-qasm")
    ap.add_argument("--out", default="bench/results/quantum_gates_interleaved.json")
    a = ap.parse_args()
    rows = []
    print("| gate | qubits | threads | ours best (s/gate) | qulacs best (s/gate) | ours/qulacs | "
          "per-round ratios |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for n in [int(s) for s in a.sizes.split(",")]:
        for gate in ("h", "cx"):
            path = os.path.join(a.folder, "%s_gates_%d.qasm" % (gate, n))
            with open(path) as f:
                gates = sum(1 for line in f if line.startswith(gate + " "))
            for t in [int(s) for s in a.threads.split(",")]:
                o, q = [], []
                for _ in range(a.rounds):
                    o.append(ours(a.bench, path, t) / gates)
                    q.append(qulacs(path, t) / gates)
                row = {"gate": gate, "qubits": n, "threads": t, "ours": o, "qulacs": q,
                       "ratio_best": min(o) / min(q)}
                rows.append(row)
                print("| %s | %d | %d | %.4g | %.4g | %.2f | %s |" % (
                    gate, n, t, min(o), min(q), row["ratio_best"],
                    ", ".join("%.2f" % (x / y) for x, y in zip(o, q))), flush=True)
    with open(a.out, "w") as f:
        json.dump({"rounds": a.rounds, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
