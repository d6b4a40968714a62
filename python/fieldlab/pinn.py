"""Physics-informed networks on the 1D periodic convection-diffusion family: the Lagrangian PINN
(``method="lpinn"``, Mojgani et al. 2023) and the standard PINN (``method="pinn"``, Krishnapriyan
et al. 2021). The same library calls as ``fieldlab train lpinn|pinn``, ``eval``, ``predict`` and
``render`` (docs/pinn.md), so a run from Python takes the same steps and losses as the CLI's.

Keyword names are the CLI's long option names with ``-`` -> ``_`` and the same defaults
(:func:`train_defaults`); ``speed``, ``viscosity``, ``initial``, ``offset`` and ``t_end`` left
``None`` take the per-PDE defaults (viscosity 0.01 for the diffusive kinds and burgers, burgers
from ``offset + sin x`` with ``offset = speed``, reaction from a Gaussian). Network keys
(``width``, ``depth_x``, ``depth_u`` for the LPINN, ``widths`` for the PINN's ``mlp``) are
keywords too (:func:`fieldlab.models.model_keywords`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

import numpy as np

from . import _core
from ._progress import reporter
from .models import _split_keywords, model_keywords

_pinn = _core._pinn

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["Pinn", "TrainResult", "load", "reference", "train", "train_defaults"]

_PROBLEM = ("pde", "speed", "viscosity", "initial", "offset", "t_end")


def _other_families(method: str) -> List[str]:
    """The model keywords the method's network does not have (lpinn: the "lpinn" family's keys
    only; pinn: the "mlp" family's), left out of the valid keywords."""
    family = {"lpinn": "lpinn", "pinn": "mlp"}.get(method.lower())
    if family is None:
        return []  # the core names the valid methods
    return [name for name, k in model_keywords().items()
            if family not in [f.split(" ")[0] for f in k["families"].split(", ")]]


def train_defaults(method: str = "lpinn") -> Dict[str, Any]:
    """The keywords of :func:`train` and their defaults for ``method`` (``None``: the per-PDE
    default; the PINN defaults to mean squares with weights 1, the failure-mode study's)."""
    return dict(_pinn.train_defaults(str(method)))


@dataclass
class TrainResult:
    """What :func:`train` returns.

    ``stop`` is "finished" or "max_steps";
    ``relative_l2`` and ``max_error`` are the final evaluation at the problem's speed
    (``evaluation`` holds it all: loss terms, reference method, grid); ``phases`` has one dict per
    finished phase (stage, phase "adam"/"lbfgs", speed, steps, loss, relative_l2, seconds);
    ``losses`` every step's loss of this call; ``checkpoint`` the saved file (None without
    ``out``)."""

    stop: str
    relative_l2: float
    max_error: float
    evaluation: Dict[str, Any]
    phases: List[Dict[str, Any]]
    losses: List[float]
    position: Dict[str, Any]
    parameters: int
    model: str
    seconds: float
    checkpoint: Optional[str]
    config: str
    messages: List[str] = field(default_factory=list)

    def load(self) -> "Pinn":
        """The trained network from :attr:`checkpoint` (needs ``out=`` in :func:`train`)."""
        if self.checkpoint is None:
            raise _core.UsageError("TrainResult.load: the run was trained without out=")
        return load(self.checkpoint)


def train(method: str = "lpinn", *, out: Optional[PathLike] = None, progress: Any = None,
          **options: Any) -> TrainResult:
    """Trains an LPINN (``method="lpinn"``) or PINN (``"pinn"``): ``fieldlab train METHOD``.

    Keywords: the problem (``pde="convection"`` | "convection-diffusion" | "burgers" |
    "reaction" | "reaction-diffusion", ``speed``, ``viscosity``, ``initial`` ("sin", "gauss",
    "shifted-sin"), ``offset``, ``t_end``), the collocation grid ``collocation=(nx, nt)``, the
    optimisers (``adam_steps``, ``adam_lr``, ``lbfgs_iterations``, ``lbfgs_step_iterations``,
    ``lbfgs_history``), the loss (``loss="norm"|"squared"``, ``second_derivative="physical"|
    "label"``, ``weight_residual_x``, ``weight_residual_u``, ``weight_initial``,
    ``weight_boundary``), ``curriculum`` (a list of warm-up speeds), ``seed``,
    ``checkpoint_every``, ``max_steps`` (stop with a checkpoint after this many steps in all),
    ``loss_log``, ``resume``, ``overwrite`` and the network's keys.
    ``out`` saves the checkpoint (and makes ``resume=True`` possible). ``progress``: see
    :mod:`fieldlab._progress`. An unknown keyword is a TypeError; a bad value a UsageError.
    Ctrl-C (KeyboardInterrupt) stops at the next step with the checkpoint saved, then raises."""
    own = list(_pinn.train_defaults("lpinn").keys())
    mine, keys = _split_keywords("pinn.train", options, own, skip=_other_families(str(method)))
    if mine.get("loss_log") is not None:
        mine["loss_log"] = os.fspath(mine["loss_log"])
    if "collocation" in mine:
        mine["collocation"] = [int(n) for n in mine["collocation"]]
    if "curriculum" in mine:
        mine["curriculum"] = [float(c) for c in mine["curriculum"]]
    r = dict(_pinn.train(str(method), "" if out is None else os.fspath(out), keys, mine,
                         reporter(progress)))
    e = dict(r["evaluation"])
    return TrainResult(stop=r["stop"], relative_l2=e["relative_l2"], max_error=e["max_error"],
                       evaluation=e, phases=[dict(p) for p in r["phases"]],
                       losses=list(r["losses"]), position=dict(r["position"]),
                       parameters=r["parameters"], model=r["model"], seconds=r["seconds"],
                       checkpoint=r["checkpoint"], config=r["config"],
                       messages=list(r["messages"]))


class Pinn:
    """A trained LPINN/PINN loaded from its checkpoint (:func:`load`)."""

    def __init__(self, checkpoint: PathLike) -> None:
        self._p = _pinn.TrainedPinn(os.fspath(checkpoint))

    @property
    def path(self) -> str:
        """The checkpoint path."""
        return self._p.path

    @property
    def method(self) -> str:
        """``"lpinn"`` or ``"pinn"``."""
        return self._p.method

    @property
    def model(self) -> str:
        """The network's registry name (``"lpinn"``, ``"mlp"``)."""
        return self._p.model

    @property
    def config(self) -> str:
        """The task configuration as YAML (what the checkpoint stores)."""
        return self._p.config

    @property
    def problem(self) -> str:
        """The problem in one line ("convection c=30, u0=sin, t in [0, 1]")."""
        return self._p.problem

    @property
    def parameters(self) -> int:
        """Parameter count."""
        return self._p.parameters

    @property
    def position(self) -> Dict[str, Any]:
        """Where the run stands: stage, phase, step, total_steps."""
        return dict(self._p.position)

    def predict(self, x: Any, t: Any) -> np.ndarray:
        """u on the Eulerian grid: ``u[j, i] = u(x[i], t[j])``, shape (len(t), len(x)), float64
        (the LPINN's values interpolated from its characteristics as ``fieldlab eval`` does)."""
        return self._p.predict(np.asarray(x, dtype=np.float64).ravel(),
                               np.asarray(t, dtype=np.float64).ravel())

    def characteristics(self, x0: Any, t: Any) -> np.ndarray:
        """LPINN only: the learned characteristics ``X[j, i] = X(x0[i], t[j])`` (unwrapped),
        shape (len(t), len(x0)). A PINN checkpoint is a UsageError."""
        return self._p.characteristics(np.asarray(x0, dtype=np.float64).ravel(),
                                       np.asarray(t, dtype=np.float64).ravel())

    def evaluate(self, nx: int = 256, nt: int = 100) -> Dict[str, Any]:
        """``fieldlab eval CKPT --json``'s numbers: relative_l2, max_error, loss (total,
        residual_x, residual_u, initial, boundary), reference (the method), grid (nx, nt)."""
        d = dict(self._p.evaluate(int(nx), int(nt)))
        d["loss"] = dict(d["loss"])
        return d


def load(checkpoint: PathLike) -> Pinn:
    """Loads a checkpoint of :func:`train` or ``fieldlab train lpinn|pinn``."""
    return Pinn(checkpoint)


def reference(x: Any, t: Any, *, progress: Any = None, **problem: Any) -> np.ndarray:
    """The exact or reference solution ``u[j, i] = u(x[i], t[j])`` of the problem given by the
    keywords of :func:`train` (``pde``, ``speed``, ``viscosity``, ``initial``, ``offset``,
    ``t_end``; same per-PDE defaults): Fourier (convection, convection-diffusion), characteristics
    (nu = 0 nonlinear), Cole-Hopf (burgers from offset + sin x) or the pseudo-spectral solver."""
    for name in problem:
        if name not in _PROBLEM:
            raise TypeError(f"reference: unknown keyword '{name}'; valid: {', '.join(_PROBLEM)}")
    r = _pinn.reference(dict(problem), np.asarray(x, dtype=np.float64).ravel(),
                        np.asarray(t, dtype=np.float64).ravel(), reporter(progress))
    return r["u"]
