"""Datasets: generate PDE trajectory files, open them lazily, and iterate training windows.

* :func:`generate` writes the same files as ``fieldlab generate PDE`` (same options, same
  defaults, the same bytes in every dataset), crash-safe (``OUT.partial`` until finished) and
  resumable (``resume=True``); Ctrl-C keeps ``OUT.partial`` and raises KeyboardInterrupt.
* :func:`open` reads native, PDEArena and PDEBench files alike; ``ds["vorticity"][3, :5]`` reads
  only those frames.
* :class:`WindowLoader` yields the training batches of the C++ window loader as numpy arrays.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._optional import require
from ._progress import reporter

__all__ = ["PDES", "generate", "generate_options", "open", "Trajectories", "FieldArray",
           "WindowLoader"]

#: The PDEs :func:`generate` knows, as ``fieldlab generate`` names them.
PDES: Tuple[str, ...] = ("ns2d", "smoke2d", "swe2d", "dambreak2d")

# The CLI's second long name of an option ("--samples,--trajectories"), accepted the same way.
_ALIASES: Dict[str, Dict[str, str]] = {
    "swe2d": {"samples": "trajectories"},
    "dambreak2d": {"trajectories": "samples"},
}


def generate_options(pde: str) -> Dict[str, Any]:
    """The options of :func:`generate` for ``pde`` with their defaults, ``{keyword: default}``.

    The keywords are ``fieldlab generate PDE --help``'s long option names with '-' -> '_' (the
    run options out, dtype, threads, overwrite, resume, quiet and config are :func:`generate`'s
    own arguments), with the same defaults. An unknown ``pde`` is a TypeError naming the valid
    ones.
    """
    return dict(_core._generate_options(pde))


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_yaml_value(v) for v in value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _effective_config(pde: str, run: Dict[str, Any], options: Dict[str, Any]) -> str:
    """The effective configuration as the CLI stores it in ``config``: one ``key: value`` line per
    long option name (a file ``fieldlab generate PDE --config`` accepts)."""
    defaults = generate_options(pde)
    defaults.update(options)
    lines = []
    for key, value in {**run, **defaults}.items():
        text = _yaml_value(value)
        quoted = text == "" or any(c in text for c in ":#{}[]&*!|>'\"%@`") or text != text.strip()
        shown = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"' if quoted else text
        lines.append(f"{key.replace('_', '-')}: {shown}")
    return "\n".join(lines)


def generate(
    pde: str,
    out: Union[str, os.PathLike],
    *,
    layout: Optional[str] = None,
    overwrite: bool = False,
    resume: bool = False,
    threads: int = 0,
    dtype: Optional[str] = None,
    progress: Any = None,
    **options: Any,
) -> Dict[str, Any]:
    """Generate a dataset of PDE trajectories into the HDF5 file ``out``, as
    ``fieldlab generate PDE --out OUT ...`` does.

    Args:
        pde: ``"ns2d"``, ``"smoke2d"``, ``"swe2d"`` or ``"dambreak2d"``.
        out: the finished file; ``OUT.partial`` holds the run until every trajectory is done.
        layout: the file layout where the generator has ``--layout``: ``"native"`` (the default),
            ``"pdearena"`` (smoke2d) or ``"pdebench"`` (swe2d, dambreak2d).
        overwrite: replace an existing ``out`` (or ``OUT.partial``).
        resume: complete an interrupted run from ``OUT.partial`` (the same options).
        threads: threads for this call (0: :func:`fieldlab.set_num_threads`' setting, all cores
            by default); the data does not depend on it.
        dtype: storage type of fields, ``"float32"`` or ``"float64"``; ``None`` is the CLI's
            default (float32, except smoke2d's PDEArena layout: float64).
        progress: ``None``, ``True`` (tqdm), a tqdm bar or a callable ``f(done, total, label,
            note)`` (see :mod:`fieldlab._progress`).
        **options: the PDE's options (:func:`generate_options` lists them with their defaults),
            e.g. ``trajectories=8, resolution=64, viscosity=1e-3``.

    Returns:
        ``{"path", "completed", "total", "resumed_from", "unit", "summary"}``.

    Raises:
        TypeError: unknown ``pde`` or keyword (naming the valid ones), a mistyped value.
        UsageError: invalid values, ``out`` existing without ``overwrite`` or ``resume``.
        FileError: ``out`` cannot be written.
        KeyboardInterrupt: Ctrl-C; every finished trajectory is kept in ``OUT.partial`` and
            ``resume=True`` completes it to the bytes of an uninterrupted run.
    """
    if pde not in PDES:
        raise TypeError(f"generate: unknown pde '{pde}'; valid: {', '.join(PDES)}")
    for alias, name in _ALIASES.get(pde, {}).items():
        if alias in options:
            if name in options:
                raise TypeError(f"{pde}: give '{name}' or its alias '{alias}', not both")
            options[name] = options.pop(alias)
    if layout is not None:
        if pde == "ns2d":
            if layout != "native":
                raise _core.UsageError(
                    f"ns2d writes the native layout only (got layout='{layout}')"
                )
        else:
            options["layout"] = layout
    if not isinstance(threads, int) or isinstance(threads, bool):
        raise TypeError(f"generate: threads must be an int, got {type(threads).__name__}")
    out = os.fspath(out)
    run: Dict[str, Any] = {"out": out}
    if dtype is not None or pde != "smoke2d":  # smoke2d: unset means the layout's own
        run["dtype"] = dtype or "float32"
    run["threads"] = threads
    # Only a flag that is set: the file is then a valid --config (the CLI refuses
    # overwrite and resume together, even both false).
    run.update({k: True for k, v in (("overwrite", overwrite), ("resume", resume)) if v})
    shown = ", ".join(
        [repr(pde), repr(out)] + [f"{k}={v!r}" for k, v in run.items() if k != "out"]
        + [f"{k}={v!r}" for k, v in options.items()]
    )
    provenance = [
        ("command_line", f"fieldlab.generate({shown})"),
        ("config", _effective_config(pde, run, options)),
    ]
    return dict(
        _core._generate(pde, out, bool(overwrite), bool(resume), threads, dtype, provenance,
                        reporter(progress), **options)
    )


def _normalise_key(key: Any, shape: Tuple[int, ...]) -> List[Union[int, slice]]:
    """A basic numpy index as one int or slice per axis (IndexError / TypeError otherwise)."""
    parts = list(key) if isinstance(key, tuple) else [key]
    if sum(1 for p in parts if p is Ellipsis) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    if Ellipsis in [p for p in parts if p is Ellipsis]:
        at = next(i for i, p in enumerate(parts) if p is Ellipsis)
        fill = len(shape) - (len(parts) - 1)
        parts = parts[:at] + [slice(None)] * max(fill, 0) + parts[at + 1:]
    if len(parts) > len(shape):
        raise IndexError(
            f"too many indices: the array is {len(shape)}-dimensional, but {len(parts)} were given"
        )
    parts += [slice(None)] * (len(shape) - len(parts))
    out: List[Union[int, slice]] = []
    for axis, (p, n) in enumerate(zip(parts, shape)):
        if isinstance(p, slice):
            out.append(p)
        elif isinstance(p, (int, np.integer)) and not isinstance(p, (bool, np.bool_)):
            i = int(p)
            if not -n <= i < n:
                raise IndexError(f"index {i} is out of bounds for axis {axis} with size {n}")
            out.append(i + n if i < 0 else i)
        else:
            raise IndexError(
                "only integers, slices and '...' are valid indices (basic indexing); got "
                f"{type(p).__name__}"
            )
    return out


class FieldArray:
    """One field of an open file, ``(trajectories, frames, nx, ny)``, read lazily.

    Indexing with integers, slices (steps and negative values included) and ``...`` reads only
    the selected trajectories and frames, one run of consecutive frames per trajectory through
    the reader's bounded frame reads (whole frames: the x / y selection is applied after the
    read). The result is a new, writable numpy array of :attr:`dtype` (the file's storage type).
    ``np.asarray(field)`` reads the whole field.
    """

    def __init__(self, file: "Trajectories", name: str) -> None:
        self._file = file
        self.name = name
        # Fixed while the file is open: read once, not on every index.
        self._shape: Tuple[int, int, int, int] = tuple(file.shape)  # type: ignore[assignment]
        self._dtype = np.dtype(file._core.storage_type(name))

    @property
    def shape(self) -> Tuple[int, int, int, int]:
        """``(trajectories, frames, nx, ny)``."""
        return self._shape

    @property
    def dtype(self) -> np.dtype:
        """The storage type in the file (float32 or float64)."""
        return self._dtype

    @property
    def ndim(self) -> int:
        """4."""
        return 4

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        return f"<fieldlab.FieldArray '{self.name}' shape={self.shape} dtype={self.dtype}>"

    def __getitem__(self, key: Any) -> np.ndarray:
        if type(key) is tuple and len(key) == 2 and type(key[0]) is int and type(key[1]) is int:
            # One frame, ds[field][n, t]: the common case, without the general path's slicing.
            n, t = key
            N, T = self._shape[0], self._shape[1]
            if -N <= n < N and -T <= t < T:
                return self._file._core.read_frames(self.name, n % N, t % T, 1)[0]
        traj, frame, ix, iy = _normalise_key(key, self.shape)
        n_traj, n_frames = self.shape[0], self.shape[1]
        trajectories = [traj] if isinstance(traj, int) else list(range(*traj.indices(n_traj)))
        frames = [frame] if isinstance(frame, int) else list(range(*frame.indices(n_frames)))
        nx, ny = self.shape[2], self.shape[3]
        block = np.empty((len(trajectories), len(frames), nx, ny), dtype=self.dtype)
        if frames:
            step = 1 if len(frames) == 1 else frames[1] - frames[0]
            for a, n in enumerate(trajectories):
                if step == 1 or step == -1:
                    first = min(frames[0], frames[-1])
                    run = self._file._core.read_frames(self.name, n, first, len(frames))
                    block[a] = run if step == 1 else run[::-1]
                else:  # a strided selection reads each selected frame, never the gaps
                    for b, k in enumerate(frames):
                        block[a, b] = self._file._core.read_frames(self.name, n, k, 1)[0]
        block = block[:, :, ix, iy]
        if isinstance(traj, int):
            block = block[0]
            if isinstance(frame, int):
                block = block[0]
        elif isinstance(frame, int):
            block = block[:, 0]
        return block

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        data = self[...]
        return data if dtype is None else data.astype(dtype)


class Trajectories:
    """An open trajectory file (native, PDEArena or PDEBench layout); see :func:`open`.

    Attributes are read when asked: :attr:`fields`, :attr:`shape`, :attr:`layout`,
    coordinates :attr:`x`, :attr:`y`, :attr:`t` (new arrays), :attr:`attributes` (a dict of
    text), :attr:`completed` (bool per trajectory), :attr:`complete`, :meth:`statistics`.
    ``ds["vorticity"]`` is a lazily read :class:`FieldArray`. A context manager; :meth:`close`
    releases the file.
    """

    def __init__(self, path: Union[str, os.PathLike]) -> None:
        self._core = _core._Trajectories(os.fspath(path))
        self._statistics: Dict[str, Dict[str, Any]] = {}

    # Context manager and lifetime.
    def close(self) -> None:
        """Releases the file; later reads raise UsageError."""
        self._core.close()

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._core.closed

    def __enter__(self) -> "Trajectories":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        if self.closed:
            return f"<fieldlab.Trajectories '{self.path}' (closed)>"
        return (f"<fieldlab.Trajectories '{self.path}' layout={self.layout} shape={self.shape} "
                f"fields={self.fields}>")

    # What the file holds.
    @property
    def path(self) -> str:
        """The file's path."""
        return self._core.path

    @property
    def layout(self) -> str:
        """``"native"``, ``"pdearena"`` or ``"pdebench"``."""
        return self._core.layout

    @property
    def fields(self) -> List[str]:
        """Field names."""
        return list(self._core.fields)

    @property
    def shape(self) -> Tuple[int, int, int, int]:
        """``(trajectories, frames, nx, ny)`` of every field."""
        return tuple(self._core.shape)  # type: ignore[return-value]

    @property
    def x(self) -> np.ndarray:
        """x coordinates (a new array)."""
        return self._core.x()

    @property
    def y(self) -> np.ndarray:
        """y coordinates (a new array)."""
        return self._core.y()

    @property
    def t(self) -> np.ndarray:
        """Frame times as the file stores them (a new array; see :meth:`trajectory_times`)."""
        return self._core.t()

    def trajectory_times(self, trajectory: int) -> np.ndarray:
        """The frame times of one trajectory (a new array)."""
        return self._core.trajectory_times(trajectory)

    def frames(self, trajectory: int, fields: Optional[Sequence[str]] = None) -> np.ndarray:
        """One trajectory as a new float64 array (frames, C, nx, ny), channels in the order of
        ``fields`` (default: all of the file's), as models take their history."""
        names = list(fields) if fields else self.fields
        if not names:
            raise _core.UsageError(f"{self.path}: no fields")
        return np.stack([np.asarray(self[n][trajectory], dtype=np.float64) for n in names], axis=1)

    def trajectory_parameter(self, name: str) -> np.ndarray:
        """The scalar PDE parameter ``name`` of every trajectory (e.g. ``"buo_y"``)."""
        return self._core.trajectory_parameter(name)

    @property
    def attributes(self) -> Dict[str, str]:
        """File-level attributes as text, as ``fieldlab info`` shows them."""
        return dict(self._core.attributes())

    @property
    def completed(self) -> np.ndarray:
        """Which trajectories hold finished data (a new bool array)."""
        return self._core.completed()

    @property
    def complete(self) -> bool:
        """Whether the file is finished (``False`` for an interrupted ``.partial``)."""
        return bool(self._core.complete)

    def statistics(self, field: Optional[str] = None) -> Dict[str, Any]:
        """``{min, max, mean, std, count, non_finite}`` of one field over the finished
        trajectories (``fieldlab info --json``'s numbers), or ``{field: ...}`` of every field.
        Streamed a frame at a time, computed once per field."""
        if field is None:
            return {f: self.statistics(f) for f in self.fields}
        if field not in self._statistics:
            self._statistics[field] = dict(self._core.statistics(field))
        return dict(self._statistics[field])

    def __getitem__(self, field: str) -> FieldArray:
        if not isinstance(field, str):
            raise TypeError(f"fields are indexed by name, got {type(field).__name__}")
        self._core.storage_type(field)  # KeyError naming the fields
        return FieldArray(self, field)

    def __contains__(self, field: object) -> bool:
        return field in self.fields

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def keys(self) -> List[str]:
        """Field names (as a mapping)."""
        return self.fields

    def to_xarray(self, fields: Optional[Sequence[str]] = None) -> Any:
        """An ``xarray.Dataset`` of the fields (read whole) with dims (trajectory, time, x, y),
        coordinates x, y and time, and the attributes. Needs the optional package xarray."""
        xr = require("xarray", "xarray", "Trajectories.to_xarray()")
        n, frames, nx, ny = self.shape
        t = self.t
        time = t if len(t) == frames else np.arange(frames, dtype=float)
        coords = {"trajectory": np.arange(n), "time": time}
        x, y = self.x, self.y
        if len(x) == nx:
            coords["x"] = x
        if len(y) == ny:
            coords["y"] = y
        data = {f: (("trajectory", "time", "x", "y"), np.asarray(self[f])) for f in
                (fields or self.fields)}
        return xr.Dataset(data, coords=coords, attrs=self.attributes)


def open(path: Union[str, os.PathLike]) -> Trajectories:  # noqa: A001 - the module's reader
    """Open a trajectory file of any layout (native, PDEArena, PDEBench) read-only.

    ``ds["vorticity"][3, :5]`` reads trajectory 3's first five frames only. Raises FileError when
    the file is missing, not HDF5, truncated or of no known layout.
    """
    return Trajectories(path)


class WindowLoader:
    """Training windows of a trajectory file as numpy batches: the C++ loader
    (datasets/window_loader.hpp) that ``fieldlab train`` uses, so the same arguments give the
    same windows in the same order.

    Each batch is a dict of new float32 arrays: ``"x"`` ``(B, history * C, nx, ny)`` (history-major:
    all fields of the oldest frame first), ``"y"`` ``(B, future * C, nx, ny)``, ``"windows"`` int64
    ``(B, 2)`` of (trajectory, start frame), ``"index"`` (batch number in the epoch), and when
    asked ``"dt"`` ``(B, future)`` (time from each target frame's predecessor) and
    ``"parameter"`` ``(B,)``. Values are z-scored per field with :attr:`normalisation`.

    Args:
        path: a trajectory file of any layout.
        history, future: input and target frames per window.
        batch: windows per batch (a last incomplete batch is dropped).
        fields: the fields in channel order (``None``: every field of the file).
        seed: the shuffling seed; epoch ``e`` is the same whatever happened before it.
        windows_per_trajectory: random windows per trajectory and epoch; ``0`` or ``"all"``:
            every start time once per epoch.
        normalise: ``True`` (the file's mean and std per field, streamed once), ``False`` (none)
            or ``{field: (mean, std)}`` (e.g. a training set's statistics for its test set).
        dt: also yield each window's dt.
        parameter: also yield this scalar PDE parameter per window (e.g. ``"buo_y"``).

    ``len(loader)`` is the batches per epoch; ``iter(loader)`` runs the next epoch (0, 1, ...);
    :meth:`epoch` runs a given one.
    """

    def __init__(
        self,
        path: Union[str, os.PathLike],
        *,
        history: int = 4,
        future: int = 1,
        batch: int = 8,
        fields: Optional[Sequence[str]] = None,
        seed: int = 0,
        windows_per_trajectory: Union[int, str] = 1,
        normalise: Union[bool, Dict[str, Tuple[float, float]]] = True,
        dt: bool = False,
        parameter: Optional[str] = None,
    ) -> None:
        if isinstance(windows_per_trajectory, str):
            if windows_per_trajectory != "all":
                raise _core.UsageError(
                    "windows_per_trajectory must be 'all' or an int, got "
                    f"'{windows_per_trajectory}'"
                )
            windows_per_trajectory = 0
        self._file = Trajectories(path)
        self._loader = _core._WindowLoader(
            self._file._core, list(fields or []), history, future, batch, seed,
            windows_per_trajectory, normalise, dt, parameter or "",
        )
        self.history, self.future = history, future
        self.fields: List[str] = list(fields) if fields else self._file.fields
        self._next_epoch = 0

    def __len__(self) -> int:
        return int(self._loader.batches_per_epoch)

    @property
    def batch_size(self) -> int:
        """Samples per batch."""
        return int(self._loader.batch_size)

    @property
    def windows_per_epoch(self) -> int:
        """Windows one epoch visits."""
        return int(self._loader.windows_per_epoch)

    @property
    def normalisation(self) -> Dict[str, Tuple[float, float]]:
        """``{field: (mean, std)}`` the windows are z-scored with."""
        return dict(self._loader.normalisation)

    @property
    def trajectories(self) -> List[int]:
        """The finished trajectories windows come from."""
        return list(self._loader.trajectories)

    def epoch_plan(self, epoch: int) -> np.ndarray:
        """The windows of ``epoch`` in visiting order, int64 ``(windows, 2)`` of
        (trajectory, start)."""
        return self._loader.epoch_plan(epoch)

    def epoch(self, epoch: int, first_batch: int = 0) -> Iterator[Dict[str, Any]]:
        """The batches of epoch ``epoch`` from batch ``first_batch`` on."""
        self._loader.start_epoch(epoch, first_batch)
        while True:
            batch = self._loader.next()
            if batch is None:
                return
            yield dict(batch)

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        epoch = self._next_epoch
        self._next_epoch += 1
        return self.epoch(epoch)

    def close(self) -> None:
        """Releases the file (the loader is unusable afterwards)."""
        self._loader = None  # type: ignore[assignment]
        self._file.close()

    def __enter__(self) -> "WindowLoader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
