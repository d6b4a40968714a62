"""Neural surrogates: describe a model, train one on trajectory files, load a checkpoint to
predict, roll out and evaluate. The same library calls as ``fieldlab describe``, ``train``,
``eval`` and ``predict`` (the run itself is ``nn::run_training``, shared with the CLI), so a run
from Python takes exactly the steps and losses of the same run from the command line (same thread
count, :func:`fieldlab.set_num_threads`).

Keyword names are the CLI's long option names with ``-`` -> ``_`` and the same defaults; model
keys (``waves``, ``hidden``, ``padding``, ...) are keywords too, ``None`` meaning the model's
default.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from . import _core
from ._progress import reporter

_models = _core._models

PathLike = Union[str, "os.PathLike[str]"]

__all__ = ["Model", "describe", "load", "model_keywords", "train", "train_defaults"]


def model_keywords() -> Dict[str, Dict[str, Any]]:
    """Every model key of every family once, by keyword: ``{keyword: {key, flag, help,
    families}}`` (``families`` names each family having it with its default, as the CLI's help)."""
    return {
        k["keyword"]: {n: v for n, v in k.items() if n != "keyword"} for k in _models.model_keys()
    }


def train_defaults() -> Dict[str, Any]:
    """The training keywords of :func:`train` and their defaults (the CLI's ``train`` options,
    without ``--threads``: see :func:`fieldlab.set_num_threads`)."""
    return dict(_models.train_defaults())


def _key_text(keyword: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(_key_text(keyword, v) for v in value)
    raise TypeError(f"model key '{keyword}': expected a number, bool, str or list, got "
                    f"{type(value).__name__}")


def _split_keywords(what: str, options: Mapping[str, Any], own: Sequence[str],
                    skip: Sequence[str] = ()) -> tuple[Dict[str, Any], Dict[str, str]]:
    """Options into (own keywords, model keys as key -> text); unknown -> TypeError."""
    keys = {k: v for k, v in model_keywords().items() if k not in skip}
    mine: Dict[str, Any] = {}
    model: Dict[str, str] = {}
    for name, value in options.items():
        if name in own:
            mine[name] = value
        elif name in keys:
            if value is not None:
                model[keys[name]["key"]] = _key_text(name, value)
        else:
            valid = ", ".join([*own, *keys])
            raise TypeError(f"{what}: unknown keyword '{name}'; valid: {valid}")
    return mine, model


def describe(model: str, **model_keys: Any) -> str:
    """What ``fieldlab describe MODEL`` prints: the layer structure and exact parameter count of
    ``model`` (``sinenet``, ``sinenetK``, ``unet``, ``mlp``, ``hqkan``) with the given model keys
    (e.g. ``waves=2, hidden=16``). Declares the model without allocating its parameters.

    Raises UsageError for an unknown model (naming the known ones) or a key the model does not
    have or a bad value; TypeError for a keyword no model has."""
    _, keys = _split_keywords("describe", model_keys, ())
    return _models.describe(str(model), keys)


def train(model: str, *, data: PathLike, out: PathLike, valid: Optional[PathLike] = None,
          progress: Any = None, **options: Any) -> Dict[str, Any]:
    """Trains ``model`` on the trajectories in ``data`` and saves ``out`` after every epoch
    (``out``'s ``.best.h5`` sibling: the best by validation rollout loss): ``fieldlab train MODEL
    --data DATA --out OUT``.

    Keywords are the CLI's options (``epochs=10, batch=8, windows_per_trajectory=1`` (or
    ``"all"``), ``unroll=1, pushforward=False, lr=1e-3, warmup_epochs=1, weight_decay=1e-5,
    clip=1, rollout=0, seed=0, max_steps=0, patience=0, loss_log=None, resume=False,
    overwrite=False, foreground=False, fields=None``; :func:`train_defaults`) and the model keys
    (:func:`model_keywords`). ``resume=True`` continues the run saved in ``out`` exactly;
    ``max_steps`` stops with a checkpoint. ``progress``: see :mod:`fieldlab._progress`.

    Returns a dict: ``stop`` ("finished", "max_steps", "early_stop"), ``steps`` (in total),
    ``epoch``, ``losses`` (every step of this call, float32 values as Python floats),
    ``history`` (one dict per finished epoch: epoch, step, train_loss, valid_one_step,
    valid_rollout, lr, seconds), ``checkpoint``, ``best``, ``best_epoch``, ``parameters``,
    ``fields`` and ``messages`` (the lines the CLI prints before training).

    Ctrl-C (KeyboardInterrupt) stops at the next step with a checkpoint saved, then raises."""
    own = list(_models.train_defaults().keys())
    mine, keys = _split_keywords("train", options, own, skip=("fields",))
    if mine.get("loss_log") is not None:
        mine["loss_log"] = os.fspath(mine["loss_log"])
    return dict(_models.train(str(model), os.fspath(data), os.fspath(out),
                              "" if valid is None else os.fspath(valid), keys, mine,
                              reporter(progress)))


class Model:
    """A trained model loaded from its checkpoint (:func:`load`). Arrays in and out are in
    PHYSICAL units: inputs are normalised with the checkpoint's statistics inside and predictions
    de-normalised, as ``fieldlab predict`` writes them."""

    def __init__(self, checkpoint: PathLike) -> None:
        self._m = _models.LoadedModel(os.fspath(checkpoint))

    @property
    def path(self) -> str:
        """The checkpoint path."""
        return self._m.path

    @property
    def name(self) -> str:
        """The model's registry name (``sinenet2``, ``unet``, ...)."""
        return self._m.name

    @property
    def fields(self) -> List[str]:
        """The fields in channel order (axis C of every array)."""
        return list(self._m.fields)

    @property
    def history(self) -> int:
        """Input frames per prediction (axis H)."""
        return self._m.history

    @property
    def conditioning(self) -> str:
        """``"none"``, or how dt enters the model (``"add"``, ``"adagn"``): then ``dt=`` is
        required."""
        return self._m.conditioning

    @property
    def condition_parameter(self) -> str:
        """The PDE parameter the model is conditioned on (``""`` for none): then ``parameter=``
        is required."""
        return self._m.condition_parameter

    @property
    def parameters(self) -> int:
        """Parameter count."""
        return self._m.parameters

    @property
    def info(self) -> Dict[str, Any]:
        """The checkpoint's state: step, epoch, batch, seed, fields, mean and std (the
        normalisation, per field), history (per epoch), best_valid_rollout, model_config, config."""
        return dict(self._m.info)

    def describe(self) -> str:
        """The layer structure and parameter count (as :func:`fieldlab.describe`)."""
        return self._m.describe()

    def _batched(self, history: Any) -> tuple[np.ndarray, bool]:
        a = np.asarray(history)
        if a.ndim == 4:
            return a[np.newaxis], True
        if a.ndim == 5:
            return a, False
        raise _core.UsageError(
            f"history: expected (H, C, h, w) or (B, H, C, h, w) = (.., {self.history}, "
            f"{len(self.fields)}, h, w), got {a.ndim} dimensions")

    def predict(self, history: Any, *, dt: Any = None, parameter: Any = None) -> np.ndarray:
        """The next frame after ``history``: (H, C, h, w) -> (C, h, w), or batched (B, H, C, h, w)
        -> (B, C, h, w); a new float64 array in physical units. ``dt`` (and ``parameter``) for a
        conditioned model: a number or one value per window. A wrong shape is a UsageError."""
        a, single = self._batched(history)
        out = self._m.rollout(a, 1, dt, parameter)[:, 0]
        return out[0] if single else out

    def rollout(self, history: Any, steps: int, *, dt: Any = None,
                parameter: Any = None) -> np.ndarray:
        """``steps`` autoregressive predictions from ``history`` (each fed back as the newest
        frame, in normalised units as ``fieldlab predict`` does): (H, C, h, w) -> (steps, C, h, w)
        or (B, H, C, h, w) -> (B, steps, C, h, w); a new float64 array in physical units."""
        a, single = self._batched(history)
        out = self._m.rollout(a, int(steps), dt, parameter)
        return out[0] if single else out

    def evaluate(self, data: PathLike, rollout: int = 0, batch: int = 8,
                 progress: Any = None) -> Dict[str, Any]:
        """One-step and rollout relative L2 errors (normalised fields) on ``data`` next to the
        persistence baseline: exactly the numbers and keys of ``fieldlab eval CKPT --data DATA
        --rollout R --batch B --json`` (checkpoint, data, model, fields, windows, trajectories,
        rollout_steps, one_step {model, persistence, model_mean, persistence_mean}, rollout
        {model [step][field], persistence, model_mean, persistence_mean})."""
        return dict(self._m.evaluate(os.fspath(data), int(rollout), int(batch),
                                     reporter(progress)))

    def __repr__(self) -> str:
        return (f"fieldlab.Model({self.path!r}: {self.name}, fields {self.fields}, "
                f"history {self.history}, step {self.info['step']})")


def load(checkpoint: PathLike) -> Model:
    """The trained model of ``checkpoint`` (``CKPT.h5`` or ``CKPT.best.h5`` from :func:`train` or
    ``fieldlab train``). A file that is not a training checkpoint is a UsageError/FileError."""
    return Model(checkpoint)


def read_trajectory(path: PathLike, trajectory: int = 0,
                    fields: Optional[Sequence[str]] = None) -> tuple[List[str], np.ndarray,
                                                                     np.ndarray]:
    """One trajectory of a native, PDEArena or PDEBench file: ``(fields, frames, t)`` with
    ``frames`` a new float64 array (frames, C, nx, ny) and ``t`` its frame times (through
    :func:`fieldlab.open`)."""
    from .data import open as open_file

    with open_file(path) as ds:
        names = list(fields) if fields else ds.fields
        return names, ds.frames(trajectory, names), ds.trajectory_times(int(trajectory))
