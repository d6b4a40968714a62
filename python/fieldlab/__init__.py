"""fieldlab: PDE solvers, HDF5 trajectory datasets, native neural surrogates and a state-vector
quantum simulator, on numpy arrays.

The compiled core (``fieldlab._core``) does the work; long calls release the GIL, report progress
to ``progress=`` (see :mod:`fieldlab._progress`) and stop at their next unit on Ctrl-C, raising
KeyboardInterrupt. Errors are :class:`fieldlab.Error` subclasses that are also the matching
built-in exceptions: :class:`UsageError` and :class:`ConfigError` (ValueError), :class:`FileError`
(OSError), :class:`NumericalError` (FloatingPointError), :class:`InternalError` (RuntimeError).
"""

from __future__ import annotations

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
from . import models, plot
from .models import Model, describe, load, train

__all__ = [
    "ConfigError",
    "Model",
    "Error",
    "FileError",
    "InternalError",
    "NumericalError",
    "UsageError",
    "__version__",
    "describe",
    "get_num_threads",
    "load",
    "models",
    "plot",
    "set_num_threads",
    "train",
]
