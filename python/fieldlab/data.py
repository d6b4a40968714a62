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
    run.update({"threads": threads, "overwrite": overwrite, "resume": resume})
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
