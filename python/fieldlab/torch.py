"""Optional PyTorch wrapper: :class:`WindowDataset`, a map-style ``torch.utils.data.Dataset`` of
training windows (the C++ loader's windows and normalisation), usable with ``DataLoader`` and
``DistributedSampler``. Needs the optional package torch (imported when this module is)."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._optional import require

_torch = require("torch", "torch", "fieldlab.torch")

__all__ = ["WindowDataset"]


class WindowDataset(_torch.utils.data.Dataset):  # type: ignore[misc, name-defined]
    """Every window (trajectory, start frame) of the finished trajectories, index
    ``i -> (trajectories[i // starts], i % starts)``, as a dict of float32 tensors ``"x"``
    ``(history * C, nx, ny)`` and ``"y"`` ``(future * C, nx, ny)`` (+ ``"dt"`` ``(future,)`` and
    ``"parameter"`` ``()`` when asked), z-scored per field like :class:`fieldlab.WindowLoader`.

    The file is opened in each process on first use, so DataLoader workers each hold their own
    handle. ``normalise`` as :class:`fieldlab.WindowLoader`; the statistics are computed once,
    here, and passed to the workers.
    """

    def __init__(
        self,
        path: Union[str, os.PathLike],
        *,
        history: int = 4,
        future: int = 1,
        fields: Optional[Sequence[str]] = None,
        normalise: Union[bool, Dict[str, Tuple[float, float]]] = True,
        dt: bool = False,
        parameter: Optional[str] = None,
    ) -> None:
        self.path = os.fspath(path)
        self.history, self.future = history, future
        self._dt, self._parameter = dt, parameter or ""
        windows = self._open(list(fields or []), normalise)
        self.fields = list(windows.fields)
        self.normalisation: Dict[str, Tuple[float, float]] = dict(windows.normalisation)
        self.trajectories = list(windows.trajectories)
        self.starts = int(windows.starts)
        self._windows: Any = windows
        self._pid = os.getpid()

    def _open(self, fields: Sequence[str], normalise: Any) -> Any:
        file = _core._Trajectories(self.path)
        return _core._Windows(file, list(fields), self.history, self.future, normalise, self._dt,
                              self._parameter)

    def __len__(self) -> int:
        return len(self.trajectories) * self.starts

    def window(self, index: int) -> Tuple[int, int]:
        """(trajectory, start frame) of window ``index``."""
        if not 0 <= index < len(self):
            raise IndexError(f"window {index} out of range (0..{len(self) - 1})")
        return self.trajectories[index // self.starts], index % self.starts

    def __getitem__(self, index: int) -> Dict[str, Any]:
        index = int(index)
        if index < 0:
            index += len(self)
        trajectory, start = self.window(index)
        if self._windows is None or self._pid != os.getpid():
            self._windows = self._open(self.fields, self.normalisation)
            self._pid = os.getpid()
        sample = self._windows.read(trajectory, start)
        out: Dict[str, Any] = {k: _torch.from_numpy(np.asarray(v)) for k, v in sample.items()
                               if k != "parameter"}
        if "parameter" in sample:
            out["parameter"] = _torch.tensor(sample["parameter"], dtype=_torch.float32)
        return out

    def __getstate__(self) -> Dict[str, Any]:
        state = dict(self.__dict__)
        state["_windows"] = None  # reopened in the receiving process
        return state
