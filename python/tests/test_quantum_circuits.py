"""Circuits, OpenQASM, state vectors and gradients from Python against the CLI's qsim (HDF5 state,
JSON expectations and counts), dense numpy references and finite differences."""

from __future__ import annotations

import gc
import json
import pathlib
import re

import h5py
import numpy as np
import pytest

import fieldlab
from fieldlab import quantum as q

from _cli_help import cli_defaults, same_default

QASM = """OPENQASM 2.0;
include "qelib1.inc";
gate mix(a) x, y { h x; cx x, y; rz(a) y; }
qreg q[4];
h q[0];
mix(0.7) q[0], q[1];
u3(0.3, -0.2, 1.1) q[2];
ccx q[0], q[1], q[3];
rx(pi/3) q[3];
swap q[1], q[2];
cry(0.4) q[3], q[0];
rzz(0.25) q[2], q[3];
sx q[1];
"""

OBSERVABLES = ["Z0 Z1", "X3", "0.5 Z0 Z1 + 0.25 X0 - Y1 Z3", "Y0 Y2", "-0.75 * X1 Z2"]


@pytest.fixture()
def qasm_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "circuit.qasm"
    path.write_text(QASM)
    return path


def cli_state(run_cli, qasm: pathlib.Path, out: pathlib.Path, precision: str) -> np.ndarray:
    run_cli("qsim", qasm, "--out", out, "--precision", precision)
    with h5py.File(out, "r") as f:
        raw = f["amplitudes"][:]
    dtype = np.complex128 if raw.dtype == np.float64 else np.complex64
    return raw.view(dtype)[:, 0]


def dense_expectation(amps: np.ndarray, observable: str, n: int) -> float:
    """<psi|H|psi> with H built as dense Kronecker products (independent of the library)."""
    total = 0.0
    text = observable.replace("- ", "+ -").replace("*", " ")
    for term in text.split("+"):
        tokens = term.split()
        coefficient = 1.0
        if tokens and re.fullmatch(r"-?[0-9.]+", tokens[0]):
            coefficient = float(tokens.pop(0))
        elif tokens and tokens[0].startswith("-"):
            coefficient, tokens[0] = -1.0, tokens[0][1:]
        h = q.pauli_matrix(" ".join(tokens), n, coefficient)
        total += np.vdot(amps, h @ amps).real
    return total


def test_qasm_state_matches_the_cli_to_1e12(run_cli, qasm_file, tmp_path):
    circuit = q.Circuit.from_qasm(qasm_file)
    assert circuit.n_qubits == 4 and len(circuit) == 11
    state = q.StateVector(4)
    state.apply(circuit)
    reference = cli_state(run_cli, qasm_file, tmp_path / "s.h5", "complex128")
    assert np.max(np.abs(state.amplitudes - reference)) < 1e-12
    # The same circuit from text, from a str path, and through simulate().
    for c in (q.Circuit.from_qasm(QASM), q.Circuit.from_qasm(str(qasm_file))):
        s = q.StateVector(4)
        s.apply(c)
        assert np.max(np.abs(s.amplitudes - reference)) < 1e-12
    sim = q.simulate(circuit)["state"]
    assert np.max(np.abs(sim.amplitudes - reference)) < 1e-12
    assert abs(state.norm() - 1) < 1e-12


def test_complex64_state_matches_the_cli(run_cli, qasm_file, tmp_path):
    state = q.StateVector(4, precision="complex64")
    assert state.precision == "complex64"
    state.apply(q.Circuit.from_qasm(qasm_file))
    amps = state.amplitudes
    assert amps.dtype == np.complex64
    assert np.shares_memory(amps, state.amplitudes)
    single = cli_state(run_cli, qasm_file, tmp_path / "s64.h5", "complex64")
    double = cli_state(run_cli, qasm_file, tmp_path / "s128.h5", "complex128")
    assert np.max(np.abs(amps - single)) < 1e-7
    assert np.max(np.abs(amps - double)) < 1e-6
    assert abs(state.expectation("Z0 Z1") - dense_expectation(double, "Z0 Z1", 4)) < 1e-6


def test_expectations_match_numpy_and_the_cli_to_1e12(run_cli, qasm_file):
    state = q.StateVector(4)
    state.apply(q.Circuit.from_qasm(qasm_file))
    args = ["qsim", qasm_file, "--json"]
    for o in OBSERVABLES:
        args += ["--expect", o]
    cli = json.loads(run_cli(*args).stdout)["expectations"]
    for o in OBSERVABLES:
        value = state.expectation(o)
        assert abs(value - dense_expectation(state.amplitudes, o, 4)) < 1e-12, o
        assert abs(value - cli[o]) < 1e-12, o
    # Not trivially zero: the circuit entangles.
    assert abs(state.expectation("Z0 Z1")) > 0.05


def test_amplitudes_are_a_writable_zero_copy_view():
    state = q.StateVector(3)
    a, b = state.amplitudes, state.amplitudes
    assert np.shares_memory(a, b) and a.flags.writeable
    assert state.expectation("Z0") == 1.0
    a[:] = 0
    a[1] = 1  # |001>: qubit 0 is 1
    assert state.expectation("Z0") == -1.0 and state.expectation("Z1") == 1.0
    a[:] = 0
    a[0] = a[4] = 1 / np.sqrt(2)  # (|000> + |100>)/sqrt2: qubit 2 in |+>
    assert abs(state.expectation("X2") - 1.0) < 1e-15
    assert state.counts(100, seed=3).keys() <= {"000", "100"}
    # The view keeps the state alive.
    view = q.StateVector(2).amplitudes
    gc.collect()
    assert view[0] == 1 and view.sum() == 1


def test_assigning_amplitudes_copies_and_checks():
    state = q.StateVector(2)
    state.amplitudes = np.array([0, 0, 0, 1], dtype=np.float64)
    assert state.expectation("Z0 Z1") == 1.0 and state.expectation("Z1") == -1.0
    state.amplitudes = [0.6, 0.8j, 0, 0]
    assert abs(state.expectation("Z0") - (0.36 - 0.64)) < 1e-15
    with pytest.raises(fieldlab.UsageError, match="expected a complex array"):
        state.amplitudes = np.array(["a", "b", "c", "d"])
    with pytest.raises(fieldlab.UsageError, match=r"expected shape \(4,\)"):
        state.amplitudes = np.zeros(8, dtype=complex)
    with pytest.raises(fieldlab.UsageError, match=r"expected shape \(4,\)"):
        state.amplitudes = np.zeros((2, 2), dtype=complex)
    with pytest.raises(ValueError):  # numpy's own: complex into the view is fine, strings are not
        state.amplitudes[:] = np.array(["x", "y", "z", "w"])
    assert abs(state.norm() - 1.0) < 1e-15


def test_sampling_follows_the_probabilities_and_the_seed(run_cli, qasm_file):
    circuit = q.Circuit.from_qasm(qasm_file)
    state = q.StateVector(4)
    state.apply(circuit)
    p = np.abs(state.amplitudes) ** 2
    assert np.allclose(state.probabilities(), p, atol=1e-15)
    shots = 20000
    draws = state.sample(shots, seed=7)
    assert draws.dtype == np.uint64 and draws.shape == (shots,)
    freq = np.bincount(draws.astype(np.int64), minlength=16) / shots
    sigma = np.sqrt(p * (1 - p) / shots)
    assert np.all(np.abs(freq - p) <= 5 * sigma + 1e-12)
    assert np.array_equal(draws, state.sample(shots, seed=7))
    assert not np.array_equal(draws, state.sample(shots, seed=8))
    # counts() agree with the CLI's for the same seed (no measurements: all qubits sampled).
    cli = json.loads(run_cli("qsim", qasm_file, "--json", "--shots", 500, "--seed", 11).stdout)
    assert state.counts(500, seed=11) == cli["counts"]
    assert q.simulate(circuit, shots=500, seed=11)["counts"] == cli["counts"]
    assert np.allclose(q.probabilities_from_counts(state.counts(shots, seed=7), 4), freq)


def test_mid_circuit_measurements_match_the_cli(run_cli, tmp_path):
    path = tmp_path / "teleport.qasm"
    path.write_text(
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
        "h q[0];\nmeasure q[0] -> c[0];\nif(c==1) x q[1];\nry(0.8) q[1];\n"
        "measure q[1] -> c[1];\n"
    )
    cli = json.loads(run_cli("qsim", path, "--json", "--shots", 400, "--seed", 5).stdout)
    result = q.simulate(q.Circuit.from_qasm(path), shots=400, seed=5)
    assert result["counts"] == cli["counts"]
    assert result["sampled_from_final_state"] is False
    assert sum(result["counts"].values()) == 400
    # apply() on a circuit with measurements returns the classical bits.
    bits = q.StateVector(2).apply(q.Circuit.from_qasm(path), seed=5)
    assert len(bits) == 2 and set(bits) <= {0, 1}


def test_gate_methods_depth_and_qasm_round_trip():
    c = q.Circuit(3).h(0).cx(0, 1).cz(1, 2).rx(2, 0.5).ry(0, 0.1).rz(1, -0.2).p(2, 0.3)
    c.swap(0, 2).u3(1, 0.1, 0.2, 0.3).crz(0, 1, 0.4).ccx(0, 1, 2).t(0).s(1).y(2)
    assert len(c) == 14 and c.depth() == 9
    assert c.n_parameters == 5 and np.allclose(c.parameters(), [0.5, 0.1, -0.2, 0.3, 0.4])
    a, b = q.StateVector(3), q.StateVector(3)
    a.apply(c)
    b.apply(q.Circuit.from_qasm(c.to_qasm()))
    assert np.max(np.abs(a.amplitudes - b.amplitudes)) < 1e-12
    # A custom unitary and the named-gate entry point.
    hadamard = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    u, v = q.StateVector(1), q.StateVector(1)
    u.apply(q.Circuit(1).unitary([0], hadamard))
    v.apply(q.Circuit(1).gate("h", [0]))
    assert np.max(np.abs(u.amplitudes - v.amplitudes)) < 1e-15


def test_adjoint_gradient_matches_finite_differences():
    c = q.Circuit(3).h(0).h(1).rx(0, 0.3).ry(1, -0.7).cx(0, 1).rz(1, 1.1).crz(1, 2, 0.4)
    c.rzz(0, 2, 0.9).p(2, 0.2).ry(2, 0.5).cx(2, 0)
    h = "0.5 Z0 Z1 + X2 - 0.3 Y0"
    theta = np.array(c.parameters())
    grad = q.adjoint_gradient(c, h)
    assert grad.shape == (c.n_parameters,) == (7,)
    eps = 1e-5
    fd = np.array(
        [
            (
                q.circuit_expectation(c.with_parameters(theta + eps * e), h)
                - q.circuit_expectation(c.with_parameters(theta - eps * e), h)
            )
            / (2 * eps)
            for e in np.eye(len(theta))
        ]
    )
    assert np.max(np.abs(grad - fd)) < 1e-6
    assert np.max(np.abs(grad - q.parameter_shift_gradient(c, h))) < 1e-12
    assert np.max(np.abs(q.adjoint_gradient(c, h, precision="complex64") - grad)) < 1e-5
    assert np.max(np.abs(grad)) > 0.1


def test_bad_input_raises_the_mapped_errors(tmp_path):
    with pytest.raises(fieldlab.UsageError, match=r"<qasm>:3:1: unknown gate 'foo'"):
        q.Circuit.from_qasm("OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n")
    bad = tmp_path / "bad.qasm"
    bad.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[5];\n')
    with pytest.raises(fieldlab.UsageError, match=r"bad\.qasm:4"):
        q.Circuit.from_qasm(bad)
    with pytest.raises(fieldlab.FileError):
        q.Circuit.from_qasm(tmp_path / "missing.qasm")
    with pytest.raises(fieldlab.FileError):
        q.Circuit.from_qasm(str(tmp_path / "missing.qasm"))
    with pytest.raises(fieldlab.UsageError, match="qubit 5 out of range"):
        q.Circuit(2).h(5)
    with pytest.raises(fieldlab.UsageError):
        q.Circuit(2).cx(1, 1)
    with pytest.raises(fieldlab.UsageError, match="1..40 qubits"):
        q.Circuit(0)
    with pytest.raises(fieldlab.UsageError, match="1..40 qubits"):
        q.StateVector(-3)
    with pytest.raises(fieldlab.UsageError, match="precision"):
        q.StateVector(2, precision="complex32")
    with pytest.raises(fieldlab.UsageError, match="names qubit 7"):
        q.StateVector(3).expectation("Z7")
    with pytest.raises(fieldlab.UsageError):
        q.StateVector(3).expectation("Q0")
    with pytest.raises(fieldlab.UsageError, match="shots"):
        q.StateVector(2).sample(-1)
    with pytest.raises(fieldlab.UsageError, match="basis state 4"):
        q.StateVector(2).set_basis_state(4)
    with pytest.raises(fieldlab.UsageError, match="3 qubits but the state 2"):
        q.StateVector(2).apply(q.Circuit(3))
    with pytest.raises(fieldlab.UsageError, match="unknown gate 'zz'"):
        q.Circuit(2).gate("zz", [0])
    with pytest.raises(fieldlab.UsageError):
        q.Circuit(1).unitary([0], np.array([[1, 1], [0, 1]]))
    with pytest.raises(fieldlab.UsageError, match="2 parameters, got 1"):
        q.Circuit(1).rx(0, 0.1).ry(0, 0.2).with_parameters([0.3])
    with pytest.raises(TypeError):
        q.Circuit(2).h("zero")
    with pytest.raises(TypeError, match="expected OpenQASM text or a path, got int"):
        q.Circuit.from_qasm(3)


def test_simulate_keywords_match_the_cli(run_cli):
    cli = cli_defaults(run_cli("qsim", "--help").stdout)
    doc = q.simulate.__doc__.splitlines()[0]
    python = dict(re.findall(r"(\w+): [^=,]+ = ('[^']*'|[\w.]+)", doc))
    # fusion=True is --no-fusion (off); run options and outputs are not keywords.
    assert set(cli) - set(python) == {
        "help", "expect", "out", "overwrite", "json", "no_fusion", "threads", "config"
    }
    assert python["fusion"] == "True" and cli["no_fusion"] is None
    for name in ("shots", "seed", "precision"):
        assert same_default(python[name].strip("'"), cli[name]), name


def test_a_large_state_runs_interruptibly_with_progress():
    n = 16
    c = q.Circuit(n)
    for k in range(n):
        c.h(k).rz(k, 0.1 * k)
    calls = []
    state = q.StateVector(n)
    state.apply(c, progress=lambda done, total, label, note: calls.append((done, total, label)))
    assert calls[0] == (0, calls[0][1], "circuit") and calls[-1][0] == calls[-1][1] > 0
    for k in (0, 5, 15):
        assert abs(state.expectation(f"X{k}") - np.cos(0.1 * k)) < 1e-12
    with pytest.raises(TypeError, match="progress: expected"):
        state.apply(c, progress=42)
