"""Figures of trajectories and predictions with matplotlib (optional: ``pip install matplotlib``;
imported only when a function here is called), what ``fieldlab render`` draws:

* :func:`frames`: a strip of evenly spaced frames (first and last included) of one field, one
  colour range and a colour bar; a diverging map when the values take both signs, else viridis.
* :func:`rollout`: prediction, truth (one shared colour range) and prediction - truth (diverging,
  symmetric range of its own) in three rows, as ``fieldlab render PRED.h5 --truth DATA.h5``.
* :func:`rollout_error`: the per-step rollout error of an evaluation
  (:meth:`fieldlab.Model.evaluate`) against the persistence baseline.

Grids are drawn with x to the right and y up (``imshow(frame.T, origin="lower")``). Every function
returns a new ``matplotlib.figure.Figure`` without showing it (works with the Agg backend).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from ._optional import require

__all__ = ["frames", "rollout", "rollout_error"]

PathOrArray = Union[str, "os.PathLike[str]", np.ndarray]


def _figure_module() -> Any:
    require("matplotlib", "matplotlib", "fieldlab.plot")
    return require("matplotlib.figure", "matplotlib", "fieldlab.plot")


def _field_frames(data: Any, trajectory: int, field: Union[str, int, None]
                  ) -> Tuple[np.ndarray, str, Optional[np.ndarray]]:
    """(frames, h, w) of one field, its name and the frame times (None when unknown)."""
    if isinstance(data, (str, os.PathLike)):
        from .models import read_trajectory

        names, all_frames, t = read_trajectory(data, trajectory,
                                               [field] if isinstance(field, str) else None)
        index = field if isinstance(field, int) else 0
        return all_frames[:, index], names[index], t
    a = np.asarray(data, dtype=np.float64)
    if a.ndim == 3:
        return a, "" if field is None else str(field), None
    if a.ndim != 4:
        from . import UsageError

        raise UsageError(f"expected (frames, C, h, w) or (frames, h, w), got {a.ndim} dimensions")
    if isinstance(field, str):
        from . import UsageError

        raise UsageError("field: name a channel by index for an array (the names are not known)")
    index = 0 if field is None else int(field)
    return a[:, index], f"channel {index}", None


def _picks(count: int, panels: int) -> list[int]:
    """Evenly spaced frame indices including the first and the last (fieldlab render's)."""
    n = min(panels, count)
    return [0] if n == 1 else [k * (count - 1) // (n - 1) for k in range(n)]


def _strip(fig: Any, row_axes: Sequence[Any], values: Sequence[np.ndarray], labels: Sequence[str],
           cmap: str, vmin: float, vmax: float, title: str) -> Any:
    image = None
    for ax, v, label in zip(row_axes, values, labels):
        image = ax.imshow(v.T, origin="lower", cmap=cmap, vmin=vmin, vmax=vmax)
        ax.set_title(label, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    row_axes[0].set_ylabel(title, fontsize=8)
    fig.colorbar(image, ax=list(row_axes), shrink=0.8)
    return image


def _time_labels(picks: Sequence[int], t: Optional[np.ndarray]) -> list[str]:
    return [f"t = {t[k]:g}" if t is not None and k < len(t) else f"frame {k}" for k in picks]


def frames(path_or_array: PathOrArray, trajectory: int = 0, field: Union[str, int, None] = None,
           *, panels: int = 6, vmin: Optional[float] = None, vmax: Optional[float] = None,
           cmap: Optional[str] = None) -> Any:
    """A strip of ``panels`` evenly spaced frames of one field of a trajectory: from a file
    (native, PDEArena or PDEBench; ``field`` a name, default the first) or an array (frames, C, h,
    w) (``field`` a channel index, default 0) or (frames, h, w). One colour range (the data's
    unless ``vmin``/``vmax``) and a colour bar. Returns a matplotlib Figure."""
    figure = _figure_module()
    values, name, t = _field_frames(path_or_array, trajectory, field)
    picks = _picks(values.shape[0], panels)
    chosen = [values[k] for k in picks]
    lo = float(min(v.min() for v in chosen)) if vmin is None else vmin
    hi = float(max(v.max() for v in chosen)) if vmax is None else vmax
    if cmap is None:
        cmap = "RdBu_r" if lo < 0 < hi else "viridis"
    fig = figure.Figure(figsize=(2.0 * len(picks) + 1, 2.4), layout="constrained")
    axes = fig.subplots(1, len(picks), squeeze=False)[0]
    _strip(fig, axes, chosen, _time_labels(picks, t), cmap, lo, hi, name)
    return fig


def rollout(prediction: Any, truth: Any, field: int = 0, *, panels: int = 6,
            times: Optional[Sequence[float]] = None) -> Any:
    """Prediction over truth over their difference, ``panels`` evenly spaced frames: arrays
    (steps, C, h, w) or (steps, h, w) in the same units (e.g. :meth:`fieldlab.Model.rollout` and
    the true frames after the history); frames beyond the shorter one are dropped. Prediction and
    truth share one colour range, the difference has a symmetric diverging one. Returns a matplotlib
    Figure."""
    figure = _figure_module()
    p, _, _ = _field_frames(prediction, 0, field)
    q, _, _ = _field_frames(truth, 0, field)
    if p.shape[1:] != q.shape[1:]:
        from . import UsageError

        raise UsageError(f"prediction frames are {p.shape[1:]} but truth frames {q.shape[1:]}")
    count = min(p.shape[0], q.shape[0])
    picks = _picks(count, panels)
    t = None if times is None else np.asarray(times, dtype=np.float64)
    labels = _time_labels(picks, t) if t is not None else [f"step {k + 1}" for k in picks]
    pp, qq = [p[k] for k in picks], [q[k] for k in picks]
    ee = [a - b for a, b in zip(pp, qq)]
    lo = float(min(min(a.min() for a in pp), min(b.min() for b in qq)))
    hi = float(max(max(a.max() for a in pp), max(b.max() for b in qq)))
    cmap = "RdBu_r" if lo < 0 < hi else "viridis"
    err = float(max(np.abs(e).max() for e in ee)) or 1.0
    fig = figure.Figure(figsize=(2.0 * len(picks) + 1, 6.6), layout="constrained")
    axes = fig.subplots(3, len(picks), squeeze=False)
    _strip(fig, axes[0], pp, labels, cmap, lo, hi, "prediction")
    _strip(fig, axes[1], qq, labels, cmap, lo, hi, "truth")
    _strip(fig, axes[2], ee, labels, "RdBu_r", -err, err, "prediction - truth")
    return fig


def rollout_error(evaluation: Dict[str, Any]) -> Any:
    """The rollout's relative L2 error per step (mean over fields) of the model and of the
    persistence baseline, from :meth:`fieldlab.Model.evaluate` (or ``fieldlab eval --json``).
    Returns a matplotlib Figure."""
    figure = _figure_module()
    model = np.asarray(evaluation["rollout"]["model"], dtype=np.float64).mean(axis=1)
    persistence = np.asarray(evaluation["rollout"]["persistence"], dtype=np.float64).mean(axis=1)
    steps = np.arange(1, len(model) + 1)
    fig = figure.Figure(figsize=(5, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(steps, model, "o-", label=evaluation.get("model", "model"))
    ax.plot(steps, persistence, "s--", label="persistence")
    ax.set_xlabel("rollout step")
    ax.set_ylabel("relative L2 (normalised)")
    ax.legend()
    ax.grid(alpha=0.3)
    return fig
