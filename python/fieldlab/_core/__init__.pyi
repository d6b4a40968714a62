"""
fieldlab's compiled core; use the package `fieldlab`, which re-exports it.
"""
from __future__ import annotations
import collections.abc
from fieldlab import ConfigError
from fieldlab import Error
from fieldlab import FileError
from fieldlab import InternalError
from fieldlab import NumericalError
from fieldlab import UsageError
import numpy
import numpy.typing
import typing
from . import quantum
from . import solvers
from . import _pinn
from . import _models
__all__: list[str] = ['ConfigError', 'Error', 'FileError', 'InternalError', 'NumericalError', 'UsageError', 'get_num_threads', 'quantum', 'set_num_threads', 'solvers']
class _Trajectories:
    """
    An open trajectory file of any layout (native, PDEArena, PDEBench); use fieldlab.open, which wraps it.
    """
    def __init__(self, path: str) -> None:
        """
        Opens `path` read-only; FileError when it is missing, not HDF5, truncated or of no known layout.
        """
    def attributes(self) -> dict:
        """
        File-level attributes as text, as `fieldlab info` shows them.
        """
    def close(self) -> None:
        """
        Releases the file.
        """
    def completed(self) -> numpy.typing.NDArray[numpy.bool]:
        """
        A new bool array: which trajectories hold finished data.
        """
    def read_frames(self, field: str, trajectory: typing.SupportsInt | typing.SupportsIndex, first: typing.SupportsInt | typing.SupportsIndex, count: typing.SupportsInt | typing.SupportsIndex) -> numpy.ndarray:
        """
        A new array (count, nx, ny) in the file's storage type (float32 or float64): frames first .. first + count - 1 of one trajectory, in one bounded read. UsageError for indices out of range.
        """
    def statistics(self, field: str) -> dict:
        """
        {min, max, mean, std, count, non_finite} of one field over the finished trajectories, streamed a frame at a time (as `fieldlab info --json`).
        """
    def storage_type(self, field: str) -> str:
        """
        "float32" or "float64".
        """
    def t(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        A new array of the frame times as the file stores them (empty when it has none).
        """
    def trajectory_parameter(self, name: str) -> numpy.typing.NDArray[numpy.float64]:
        """
        The scalar PDE parameter `name` of every trajectory (a new array); UsageError when the file has none.
        """
    def trajectory_times(self, trajectory: typing.SupportsInt | typing.SupportsIndex) -> numpy.typing.NDArray[numpy.float64]:
        """
        The frame times of one trajectory (a new array).
        """
    def x(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        A new array of the x coordinates.
        """
    def y(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        A new array of the y coordinates.
        """
    @property
    def closed(self) -> bool:
        """
        Whether close() was called.
        """
    @property
    def complete(self) -> bool:
        """
        Whether the file is finished.
        """
    @property
    def fields(self) -> list[str]:
        """
        Field names.
        """
    @property
    def frames_read(self) -> int:
        """
        Frames read through read_frames so far (to check slicing stays lazy).
        """
    @property
    def layout(self) -> str:
        """
        "native", "pdearena" or "pdebench".
        """
    @property
    def path(self) -> str:
        """
        The file's path.
        """
    @property
    def shape(self) -> tuple[int, int, int, int]:
        """
        (trajectories, frames, nx, ny) of every field.
        """
class _WindowLoader:
    """
    The C++ training-window loader; use fieldlab.WindowLoader.
    """
    def __init__(self, file: _Trajectories, fields: collections.abc.Sequence[str], history: typing.SupportsInt | typing.SupportsIndex, future: typing.SupportsInt | typing.SupportsIndex, batch: typing.SupportsInt | typing.SupportsIndex, seed: typing.SupportsInt | typing.SupportsIndex, windows_per_trajectory: typing.SupportsInt | typing.SupportsIndex, normalise: typing.Any, dt: bool, parameter: str) -> None:
        ...
    def epoch_plan(self, epoch: typing.SupportsInt | typing.SupportsIndex) -> numpy.ndarray:
        """
        The epoch's windows in visiting order, a new int64 array (windows, 2) of (trajectory, start).
        """
    def next(self) -> typing.Any:
        """
        The next batch {x, y, windows, index[, dt, parameter]} as new arrays, or None at the end of the epoch.
        """
    def start_epoch(self, epoch: typing.SupportsInt | typing.SupportsIndex, first_batch: typing.SupportsInt | typing.SupportsIndex = 0) -> None:
        """
        Starts epoch `epoch` at batch `first_batch`.
        """
    @property
    def batch_size(self) -> int:
        """
        Samples per batch.
        """
    @property
    def batches_per_epoch(self) -> int:
        """
        Full batches per epoch.
        """
    @property
    def normalisation(self) -> dict:
        """
        {field: (mean, std)} the windows are z-scored with.
        """
    @property
    def start_times(self) -> int:
        """
        Possible start frames per trajectory.
        """
    @property
    def trajectories(self) -> list[int]:
        """
        The finished trajectories the windows come from.
        """
    @property
    def windows_per_epoch(self) -> int:
        """
        Windows per epoch.
        """
class _Windows:
    """
    Windows by (trajectory, start); use fieldlab.torch.
    """
    def __init__(self, file: _Trajectories, fields: collections.abc.Sequence[str], history: typing.SupportsInt | typing.SupportsIndex, future: typing.SupportsInt | typing.SupportsIndex, normalise: typing.Any, dt: bool, parameter: str) -> None:
        ...
    def read(self, trajectory: typing.SupportsInt | typing.SupportsIndex, start: typing.SupportsInt | typing.SupportsIndex) -> dict:
        """
        {x (history*C, nx, ny), y (future*C, nx, ny)[, dt (future,), parameter]} as new float32 arrays, normalised as the loader does.
        """
    @property
    def fields(self) -> list[str]:
        """
        The fields, in channel order.
        """
    @property
    def normalisation(self) -> dict:
        """
        {field: (mean, std)}.
        """
    @property
    def starts(self) -> int:
        """
        Start frames per trajectory.
        """
    @property
    def trajectories(self) -> list[int]:
        """
        Finished trajectories.
        """
def _generate(pde: str, out: str, overwrite: bool, resume: bool, threads: typing.SupportsInt | typing.SupportsIndex, dtype: str | None, provenance: collections.abc.Sequence[tuple[str, str]], reporter: typing.Any, **kwargs) -> dict:
    """
    Runs one generation (see fieldlab.generate, the public wrapper) and returns its outcome {path, completed, total, resumed_from, unit, summary}. KeyboardInterrupt stops it at the next trajectory, keeps OUT.partial resumable and is raised.
    """
def _generate_options(pde: str) -> dict:
    """
    {keyword: default} of `fieldlab generate PDE`'s options (the CLI's long option names with '-' -> '_', without the run options out, dtype, threads, overwrite, resume).
    """
def _run_interruptible_sleep(seconds: typing.SupportsFloat | typing.SupportsIndex, reporter: typing.Any = None) -> int:
    ...
def get_num_threads() -> int:
    """
    Threads fieldlab calls run with.
    """
def set_num_threads(threads: typing.SupportsInt | typing.SupportsIndex) -> None:
    """
    Threads every later fieldlab call runs with (0: all cores, the default). The same as the CLI's --threads; results do not depend on it.
    """
__version__: str = '0.1.0'
