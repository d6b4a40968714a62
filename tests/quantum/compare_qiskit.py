#!/usr/bin/env python3
"""Random OpenQASM 2.0 circuits, state by state: `fieldlab qsim --out` against qiskit's
Statevector (and qulacs where it reads the file). Needs the bench virtualenv (qiskit, qulacs,
h5py, numpy); not part of ctest, since CI machines do not have it. Exits non-zero on a mismatch.

    build/bench-venv/bin/python tests/quantum/compare_qiskit.py --fieldlab build-quantum/apps/fieldlab
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

import h5py
import numpy as np

ONE = ["x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx"]
ONE_P = {"rx": 1, "ry": 1, "rz": 1, "u1": 1, "u3": 3, "p": 1}
TWO = ["cx", "cz", "cy", "swap", "ch"]
TWO_P = {"crz": 1, "cu1": 1, "cu3": 3, "rzz": 1, "rxx": 1, "crx": 1, "cry": 1}


def random_qasm(n, gates, rng):
    lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', 'qreg q[%d];' % n]
    for _ in range(gates):
        kind = rng.random()
        qs = rng.sample(range(n), 3)
        if kind < 0.3:
            lines.append("%s q[%d];" % (rng.choice(ONE), qs[0]))
        elif kind < 0.55:
            g = rng.choice(sorted(ONE_P))
            ps = ",".join("%.17g" % rng.uniform(-3, 3) for _ in range(ONE_P[g]))
            lines.append("%s(%s) q[%d];" % (g, ps, qs[0]))
        elif kind < 0.75:
            lines.append("%s q[%d],q[%d];" % (rng.choice(TWO), qs[0], qs[1]))
        elif kind < 0.95:
            g = rng.choice(sorted(TWO_P))
            ps = ",".join("%.17g" % rng.uniform(-3, 3) for _ in range(TWO_P[g]))
            lines.append("%s(%s) q[%d],q[%d];" % (g, ps, qs[0], qs[1]))
        else:
            lines.append("ccx q[%d],q[%d],q[%d];" % tuple(qs))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fieldlab", default="build-quantum/apps/fieldlab")
    ap.add_argument("--circuits", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Statevector
    rng = random.Random(a.seed)
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(a.circuits):
            n = rng.randint(3, 8)
            src = random_qasm(n, rng.randint(5, 60), rng)
            path = os.path.join(tmp, "c%d.qasm" % k)
            out = os.path.join(tmp, "c%d.h5" % k)
            with open(path, "w") as f:
                f.write(src)
            for precision, tol in (("complex128", 1e-10), ("complex64", 2e-5)):
                subprocess.run([a.fieldlab, "qsim", path, "--out", out, "--overwrite",
                                "--precision", precision],
                               check=True, capture_output=True)
                with h5py.File(out, "r") as f:
                    amps = f["amplitudes"][:]
                ours = amps[:, 0].astype(np.float64) + 1j * amps[:, 1].astype(np.float64)
                ref = Statevector(QuantumCircuit.from_qasm_str(src)).data
                err = float(np.max(np.abs(ours - ref)))
                worst = max(worst, err if precision == "complex128" else 0.0)
                if err > tol:
                    print("MISMATCH circuit %d (%d qubits, %s): max |diff| %.3g\n%s" %
                          (k, n, precision, err, src))
                    return 1
    print("%d random circuits agree with qiskit (complex128 max |diff| %.2g, complex64 within 2e-5)"
          % (a.circuits, worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
