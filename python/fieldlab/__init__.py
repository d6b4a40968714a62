"""fieldlab: PDE solvers, HDF5 trajectory datasets, native neural surrogates and a state-vector
quantum simulator, on numpy arrays.

The compiled core (``fieldlab._core``) does the work; long calls release the GIL, report progress
to ``progress=`` (see :mod:`fieldlab._progress`) and stop at their next unit on Ctrl-C, raising
KeyboardInterrupt. Errors are :class:`fieldlab.Error` subclasses that are also the matching
built-in exceptions: :class:`UsageError` and :class:`ConfigError` (ValueError), :class:`FileError`
(OSError), :class:`NumericalError` (FloatingPointError), :class:`InternalError` (RuntimeError).

Submodules: :mod:`fieldlab.solvers` (solver classes, initial conditions, verification cases),
:mod:`fieldlab.quantum` (circuits, states, density matrices, reservoirs, QKAN),
:mod:`fieldlab.models`, :mod:`fieldlab.pinn` (LPINN/PINN on 1D convection-diffusion) and
:mod:`fieldlab.plot` (matplotlib, optional); data and training are
at the top level (``generate``, ``open``, ``WindowLoader``, ``describe``, ``train``, ``load``).
"""

from __future__ import annotations

from . import models, pinn, plot, quantum, solvers
from ._core import (
    ConfigError,
    Error,
    FileError,
    InternalError,
    NumericalError,
    UsageError,
    __version__,
    get_num_threads,
    set_num_threads,
)
from .data import (
    FieldArray,
    Trajectories,
    WindowLoader,
    generate,
    generate_options,
    open,
)
from .models import Model, describe, load, train

__all__ = [
    "ConfigError",
    "Error",
    "FieldArray",
    "FileError",
    "InternalError",
    "Model",
    "NumericalError",
    "Trajectories",
    "UsageError",
    "WindowLoader",
    "__version__",
    "describe",
    "generate",
    "generate_options",
    "get_num_threads",
    "load",
    "models",
    "open",
    "pinn",
    "plot",
    "quantum",
    "set_num_threads",
    "solvers",
    "train",
]

