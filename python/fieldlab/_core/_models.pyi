"""
Model bindings; use fieldlab.describe/train/load.
"""
from __future__ import annotations
import collections.abc
import numpy
import numpy.typing
import typing
__all__: list[str] = ['LoadedModel', 'describe', 'known', 'model_keys', 'train', 'train_defaults']
class LoadedModel:
    """
    A trained model loaded from its checkpoint (use fieldlab.load).
    """
    def __init__(self, checkpoint: str) -> None:
        ...
    def describe(self) -> str:
        """
        Layer structure and parameter count.
        """
    def evaluate(self, data: str, rollout: typing.SupportsInt | typing.SupportsIndex = 0, batch: typing.SupportsInt | typing.SupportsIndex = 8, reporter: typing.Any = None) -> dict:
        """
        The numbers of `fieldlab eval CKPT --data DATA --json`, as a dict.
        """
    def rollout(self, history: typing.Any, steps: typing.SupportsInt | typing.SupportsIndex, dt: typing.Any = None, parameter: typing.Any = None) -> numpy.typing.NDArray[numpy.float64]:
        """
        history (B, H, C, h, w) physical -> (B, steps, C, h, w) float64 physical (new array).
        """
    @property
    def condition_parameter(self) -> str:
        """
        The PDE parameter the model is conditioned on ('' for none).
        """
    @property
    def conditioning(self) -> str:
        """
        'none', or how dt enters the model ('add', 'adagn').
        """
    @property
    def fields(self) -> list[str]:
        """
        Fields in channel order.
        """
    @property
    def history(self) -> int:
        """
        Input frames per prediction.
        """
    @property
    def info(self) -> dict:
        """
        Checkpoint info (a new dict).
        """
    @property
    def name(self) -> str:
        """
        The model's registry name.
        """
    @property
    def parameters(self) -> int:
        """
        Parameter count.
        """
    @property
    def path(self) -> str:
        """
        The checkpoint path.
        """
    @property
    def size_multiple(self) -> int:
        """
        Grid sizes must be multiples of this.
        """
def describe(model: str, keys: collections.abc.Mapping[str, str]) -> str:
    """
    What `fieldlab describe MODEL` prints: layers and parameter count (keys: key -> text).
    """
def known() -> str:
    """
    The model names: 'sinenet, sinenetK ...'.
    """
def model_keys() -> list:
    """
    Every model key of every family once: dicts {keyword, key, flag, help, families}.
    """
def train(model: str, data: str, out: str, valid: str, model_keys: collections.abc.Mapping[str, str], options: dict, reporter: typing.Any = None) -> dict:
    """
    nn::run_training: the whole `fieldlab train` run; returns the result dict.
    """
def train_defaults() -> dict:
    """
    The training keywords and their defaults (the CLI's train options).
    """
