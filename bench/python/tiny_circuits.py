"""10,000 tiny random circuits from Python: fieldlab (build + simulate + one expectation through
the bindings) against qulacs's Python API on the same circuits, and against the CLI (one
`fieldlab qsim FILE --expect ...` process per circuit, timed on a subset and reported per circuit:
what a Python user without bindings would do).

Setup (a venv of its own, next to the build):
    python3 -m venv build/bench-py && build/bench-py/bin/pip install qulacs numpy
Run (from the repository root, the module and CLI built):
    PYTHONPATH=build/python build/bench-py/bin/python bench/python/tiny_circuits.py
Prints one JSON line: seconds per side, per-circuit microseconds, ratios (peer / ours) and the
largest expectation-value difference between the two simulators (a check they ran the same
circuits). Options: --circuits N (10000), --cli-circuits N (200), --threads N (1), --seed S.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import random
import subprocess
import tempfile
import time
from typing import Any

REPO = pathlib.Path(__file__).resolve().parents[2]
GATES_1 = ["h", "x", "y", "z", "s", "t"]
GATES_ROT = ["rx", "ry", "rz"]
GATES_2 = ["cx", "cz"]
OBSERVABLE = [(0, "Z"), (1, "Z")]  # <Z0 Z1>


def random_circuits(count: int, seed: int) -> list[tuple[int, list[tuple[Any, ...]]]]:
    """(n_qubits, [(gate, qubits..., angle?)]): 4-6 qubits, 10 gates, a third of them 2-qubit."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        n = rng.randint(4, 6)
        gates: list[tuple[Any, ...]] = []
        for _ in range(10):
            r = rng.random()
            if r < 1 / 3:
                a, b = rng.sample(range(n), 2)
                gates.append((rng.choice(GATES_2), a, b))
            elif r < 2 / 3:
                gates.append((rng.choice(GATES_ROT), rng.randrange(n), rng.uniform(-3.14, 3.14)))
            else:
                gates.append((rng.choice(GATES_1), rng.randrange(n)))
        out.append((n, gates))
    return out


def run_ours(circuits) -> tuple[float, list[float]]:
    from fieldlab import quantum as q

    observable = " ".join(f"{p}{k}" for k, p in OBSERVABLE)
    values = []
    t0 = time.perf_counter()
    for n, gates in circuits:
        c = q.Circuit(n)
        for g in gates:
            getattr(c, g[0])(*g[1:])
        s = q.StateVector(n)
        s.apply(c)
        values.append(s.expectation(observable))
    return time.perf_counter() - t0, values


def run_qulacs(circuits) -> tuple[float, list[float]]:
    import qulacs

    add = {
        "h": "add_H_gate", "x": "add_X_gate", "y": "add_Y_gate", "z": "add_Z_gate",
        "s": "add_S_gate", "t": "add_T_gate", "cx": "add_CNOT_gate", "cz": "add_CZ_gate",
        # qulacs' RotX(theta) = exp(-i theta/2 X), fieldlab's and OpenQASM's rx.
        "rx": "add_RotX_gate", "ry": "add_RotY_gate", "rz": "add_RotZ_gate",
    }
    values = []
    t0 = time.perf_counter()
    for n, gates in circuits:
        obs = qulacs.Observable(n)
        obs.add_operator(1.0, " ".join(f"{p} {k}" for k, p in OBSERVABLE))
        c = qulacs.QuantumCircuit(n)
        for g in gates:
            getattr(c, add[g[0]])(*g[1:])
        s = qulacs.QuantumState(n)
        c.update_quantum_state(s)
        values.append(obs.get_expectation_value(s))
    return time.perf_counter() - t0, values


def to_qasm(n: int, gates) -> str:
    lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', f"qreg q[{n}];"]
    for g in gates:
        if len(g) == 3 and isinstance(g[2], float):
            lines.append(f"{g[0]}({g[2]!r}) q[{g[1]}];")
        elif len(g) == 3:
            lines.append(f"{g[0]} q[{g[1]}], q[{g[2]}];")
        else:
            lines.append(f"{g[0]} q[{g[1]}];")
    return "\n".join(lines) + "\n"


def run_cli(circuits, cli: pathlib.Path, threads: int) -> tuple[float, list[float]]:
    observable = " ".join(f"{p}{k}" for k, p in OBSERVABLE)
    values = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for k, (n, gates) in enumerate(circuits):
            path = pathlib.Path(tmp) / f"c{k}.qasm"
            path.write_text(to_qasm(n, gates))
            paths.append(path)
        t0 = time.perf_counter()
        for path in paths:
            done = subprocess.run(
                [str(cli), "qsim", str(path), "--expect", observable, "--json", "--threads",
                 str(threads)], capture_output=True, text=True, check=True)
            values.append(json.loads(done.stdout)["expectations"][observable])
        return time.perf_counter() - t0, values


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--circuits", type=int, default=10000)
    ap.add_argument("--cli-circuits", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cli", default=os.environ.get("FIELDLAB_CLI", REPO / "build/apps/fieldlab"))
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import fieldlab

    fieldlab.set_num_threads(args.threads)
    circuits = random_circuits(args.circuits, args.seed)
    run_ours(circuits[:200])  # warm-up (imports, first allocations)
    ours_s, ours_v = run_ours(circuits)
    result: dict[str, Any] = {
        "bench": "tiny_circuits", "circuits": args.circuits, "qubits": "4-6", "gates": 10,
        "threads": args.threads, "ours_s": round(ours_s, 4),
        "ours_us_per_circuit": round(1e6 * ours_s / args.circuits, 2),
    }
    try:
        run_qulacs(circuits[:200])
        qulacs_s, qulacs_v = run_qulacs(circuits)
        result["qulacs_s"] = round(qulacs_s, 4)
        result["qulacs_us_per_circuit"] = round(1e6 * qulacs_s / args.circuits, 2)
        result["ratio_qulacs_over_ours"] = round(qulacs_s / ours_s, 3)
        result["max_abs_diff_vs_qulacs"] = max(abs(a - b) for a, b in zip(ours_v, qulacs_v))
    except ImportError:
        result["qulacs"] = "not installed (pip install qulacs)"
    if args.cli_circuits > 0:
        subset = circuits[: args.cli_circuits]
        cli_s, cli_v = run_cli(subset, pathlib.Path(args.cli), args.threads)
        per = cli_s / len(subset)
        result["cli_circuits"] = len(subset)
        result["cli_us_per_circuit"] = round(1e6 * per, 1)
        result["ratio_cli_over_ours"] = round(per / (ours_s / args.circuits), 1)
        result["max_abs_diff_vs_cli"] = max(abs(a - b) for a, b in zip(ours_v, cli_v))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
