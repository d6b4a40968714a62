"""Density matrices and channels against numpy: |psi><psi|, U rho U^dagger, the Kraus sums of the
library's channels, Tr(rho P), and the zero-copy read-only matrix view."""

from __future__ import annotations

import numpy as np
import pytest

import fieldlab
from fieldlab import quantum as q


def kraus_on(k: np.ndarray, qubit: int, n: int) -> np.ndarray:
    """A one-qubit operator on `qubit` of n as a dense matrix (qubit 0 least significant)."""
    m = np.array([[1.0 + 0j]])
    for j in reversed(range(n)):
        m = np.kron(m, k if j == qubit else np.eye(2))
    return m


def channel(rho: np.ndarray, kraus: list[np.ndarray], qubit: int, n: int) -> np.ndarray:
    out = np.zeros_like(rho)
    for k in kraus:
        big = kraus_on(k, qubit, n)
        out += big @ rho @ big.conj().T
    return out


@pytest.fixture()
def state() -> q.StateVector:
    s = q.StateVector(3)
    s.apply(q.Circuit(3).h(0).cx(0, 1).ry(2, 0.7).crz(1, 2, 0.4).rx(0, 0.3))
    return s


def test_from_state_is_the_outer_product_and_the_view_is_zero_copy(state):
    rho = q.DensityMatrix.from_state(state)
    psi = state.amplitudes
    m = rho.matrix
    assert m.shape == (8, 8) and m.dtype == np.complex128
    assert np.max(np.abs(m - np.outer(psi, psi.conj()))) < 1e-15
    assert np.shares_memory(m, rho.matrix) and not m.flags.writeable
    with pytest.raises(ValueError):
        m[0, 0] = 1
    before = np.array(m)
    rho.depolarize(1, 0.3)
    assert np.max(np.abs(m - before)) > 0.01  # the view follows the channel
    assert abs(rho.trace() - 1) < 1e-14 and abs(q.DensityMatrix(2).purity() - 1) < 1e-15


def test_channels_equal_their_kraus_sums(state):
    rho = q.DensityMatrix.from_state(state)
    ref = np.array(rho.matrix)
    rho.depolarize(0, 0.2)
    ref = channel(ref, q.depolarizing_kraus(0.2), 0, 3)
    rho.amplitude_damp(2, 0.35)
    ref = channel(ref, q.amplitude_damping_kraus(0.35), 2, 3)
    rho.dephase(1)
    ref = channel(ref, [np.diag([1, 0]), np.diag([0, 1])], 1, 3)
    rho.measure_reset(0)
    ref = channel(ref, [np.array([[1, 0], [0, 0]]), np.array([[0, 1], [0, 0]])], 0, 3)
    custom = [np.sqrt(0.9) * np.eye(2), np.sqrt(0.1) * np.array([[0, 1], [1, 0]])]
    rho.apply_kraus(2, custom)
    ref = channel(ref, custom, 2, 3)
    assert np.max(np.abs(rho.matrix - ref)) < 1e-14
    # Depolarising by its formula too: (1-p) rho + p I/2 (x) Tr_q rho.
    one = q.DensityMatrix(1)
    one.apply(q.Circuit(1).h(0))
    one.depolarize(0, 0.4)
    assert np.max(np.abs(one.matrix - (0.6 * np.full((2, 2), 0.5) + 0.4 * np.eye(2) / 2))) < 1e-15
    assert abs(rho.trace() - 1) < 1e-14 and rho.purity() < 0.9
    assert np.allclose(rho.probabilities(), np.diag(ref).real, atol=1e-15)


def test_expectation_and_circuits_match_numpy(state):
    c = q.Circuit(3).h(2).cx(2, 0).rzz(0, 1, 0.6)
    rho = q.DensityMatrix.from_state(state)
    rho.depolarize(1, 0.25)
    ref = np.array(rho.matrix)
    rho.apply(c)
    # U from the state-vector simulator, column by column.
    u = np.zeros((8, 8), dtype=complex)
    for k in range(8):
        s = q.StateVector(3)
        s.set_basis_state(k)
        s.apply(c)
        u[:, k] = s.amplitudes
    ref = u @ ref @ u.conj().T
    assert np.max(np.abs(rho.matrix - ref)) < 1e-14
    for o in ("Z0 Z1", "X2", "0.5 Y0 Y1 - 0.25 Z2"):
        terms = o.replace("- ", "+ -").split("+")
        dense = np.zeros((8, 8), dtype=complex)
        for t in terms:
            tokens = t.split()
            numeric = tokens[0].lstrip("-").replace(".", "").isdigit()
            coefficient = float(tokens.pop(0)) if numeric else 1.0
            dense += q.pauli_matrix(" ".join(tokens), 3, coefficient)
        assert abs(rho.expectation(o) - np.trace(ref @ dense).real) < 1e-14, o
    # A measurement in a circuit is the dephasing channel; a reset is measure-and-reset.
    m = q.DensityMatrix(1)
    m.apply(q.Circuit(1, 1).h(0).measure(0, 0))
    assert np.max(np.abs(m.matrix - np.eye(2) / 2)) < 1e-15
    m.apply(q.Circuit(1).reset(0))
    assert abs(m.expectation("Z0") - 1) < 1e-15


def test_from_matrix_round_trips():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
    rho = a @ a.conj().T
    rho /= np.trace(rho)
    d = q.DensityMatrix.from_matrix(rho)
    assert d.n_qubits == 2 and np.max(np.abs(d.matrix - rho)) < 1e-15


def test_bad_input_raises_the_mapped_errors():
    rho = q.DensityMatrix(2)
    with pytest.raises(fieldlab.UsageError, match="qubit 2 out of range"):
        rho.depolarize(2, 0.1)
    with pytest.raises(fieldlab.UsageError, match=r"p must be in \[0, 1\]"):
        rho.depolarize(0, 1.5)
    with pytest.raises(fieldlab.UsageError, match="gamma"):
        rho.amplitude_damp(0, -0.1)
    with pytest.raises(fieldlab.UsageError, match="not trace preserving"):
        rho.apply_kraus(0, [np.eye(2), np.eye(2)])
    with pytest.raises(fieldlab.UsageError, match="2x2"):
        rho.apply_kraus(0, [np.eye(3)])
    with pytest.raises(fieldlab.UsageError, match="1..13 qubits"):
        q.DensityMatrix(14)
    with pytest.raises(fieldlab.UsageError, match="square"):
        q.DensityMatrix.from_matrix(np.eye(3))
    with pytest.raises(fieldlab.UsageError, match="names qubit 3"):
        rho.expectation("Z3")
    with pytest.raises(fieldlab.UsageError, match="3 qubits but the density matrix 2"):
        rho.apply(q.Circuit(3))
