"""Quantum simulation from Python: circuits and OpenQASM 2.0, state vectors whose amplitudes are
zero-copy numpy views, density matrices with noise channels, adjoint gradients, quantum reservoir
computing (``run_qrc``, ``Reservoir``) and QKAN (``QKAN``, ``train_qkan``).

Qubit 0 is the least significant bit of a basis-state index: amplitude ``k`` of an n-qubit state
is the coefficient of ``|b_{n-1} ... b_1 b_0>`` with ``k = sum_q b_q 2^q``; bit strings (counts)
print the highest qubit first, as ``fieldlab qsim`` and other OpenQASM tools do.

Everything here is the compiled library (``fieldlab._core.quantum``) plus a few numpy helpers.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

import numpy as np

from ._core import quantum as _q
from ._optional import require

Circuit = _q.Circuit
StateVector = _q.StateVector
DensityMatrix = _q.DensityMatrix
Reservoir = _q.Reservoir
QKAN = _q.QKAN
simulate = _q.simulate
adjoint_gradient = _q.adjoint_gradient
parameter_shift_gradient = _q.parameter_shift_gradient
circuit_expectation = _q.circuit_expectation
depolarizing_kraus = _q.depolarizing_kraus
amplitude_damping_kraus = _q.amplitude_damping_kraus
run_qrc = _q.run_qrc
qrc_defaults = _q.qrc_defaults
qrc_tasks = _q.qrc_tasks
qrc_models = _q.qrc_models
task_series = _q.task_series
scale_inputs = _q.scale_inputs
fit_readout = _q.fit_readout
nrmse = _q.nrmse
train_qkan = _q.train_qkan
train_qkan_defaults = _q.train_qkan_defaults
regression_target = _q.regression_target

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


def pauli_matrix(
    term: Mapping[int, str] | str, n_qubits: int, coefficient: float = 1.0
) -> np.ndarray:
    """The dense 2^n x 2^n matrix of one Pauli string, in this module's qubit order (qubit 0 the
    least significant index bit): ``term`` is ``{qubit: 'X'|'Y'|'Z'}`` or text like ``"Z0 X2"``.
    For checking expectation values against numpy on small registers."""
    if isinstance(term, str):
        parsed: dict[int, str] = {}
        for token in term.split():
            if token == "I":
                continue
            parsed[int(token[1:])] = token[0].upper()
        term = parsed
    m = np.array([[coefficient]], dtype=complex)
    for q in reversed(range(n_qubits)):  # the highest qubit is the leftmost Kronecker factor
        m = np.kron(m, _PAULI[term.get(q, "I")])
    return m


def probabilities_from_counts(counts: Mapping[str, int], n_qubits: int) -> np.ndarray:
    """Relative frequencies (2^n,) from ``{bit string: count}`` (highest qubit first)."""
    p = np.zeros(2**n_qubits)
    total = sum(counts.values())
    for bits, n in counts.items():
        p[int(bits, 2)] = n
    return p / max(total, 1)


def plot_counts(counts: Mapping[str, int], ax: Optional[Any] = None) -> Any:
    """A bar chart of measurement counts (matplotlib, optional). Returns the axes."""
    plt = require("matplotlib.pyplot", "matplotlib", "plot_counts")
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    keys = sorted(counts)
    ax.bar(keys, [counts[k] for k in keys])
    ax.set_xlabel("outcome (highest qubit first)")
    ax.set_ylabel("count")
    return ax


def plot_activations(model: QKAN, layer: int = 0, x: Optional[Sequence[float]] = None,
                     total: bool = True) -> Any:
    """Every learned activation of one QKAN layer on a grid (matplotlib, optional): one panel per
    edge, input i across, output j down. Returns the figure."""
    plt = require("matplotlib.pyplot", "matplotlib", "plot_activations")
    grid = np.linspace(-1.0, 1.0, 101) if x is None else np.asarray(x, dtype=float)
    act = model.activations(layer, grid, total)
    n_out, n_in, _ = act.shape
    fig, axes = plt.subplots(n_out, n_in, figsize=(2.0 * n_in, 1.6 * n_out), squeeze=False)
    for j in range(n_out):
        for i in range(n_in):
            axes[j][i].plot(grid, act[j, i])
            axes[j][i].set_xticks([])
            axes[j][i].set_yticks([])
    fig.suptitle(f"layer {layer} activations (input i across, output j down)")
    return fig


__all__ = [
    "Circuit",
    "DensityMatrix",
    "QKAN",
    "Reservoir",
    "StateVector",
    "adjoint_gradient",
    "amplitude_damping_kraus",
    "circuit_expectation",
    "depolarizing_kraus",
    "fit_readout",
    "nrmse",
    "parameter_shift_gradient",
    "pauli_matrix",
    "plot_activations",
    "plot_counts",
    "probabilities_from_counts",
    "qrc_defaults",
    "qrc_models",
    "qrc_tasks",
    "regression_target",
    "run_qrc",
    "scale_inputs",
    "simulate",
    "task_series",
    "train_qkan",
    "train_qkan_defaults",
]
