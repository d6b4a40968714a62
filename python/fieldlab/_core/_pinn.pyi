"""
LPINN/PINN bindings; use fieldlab.pinn.
"""
from __future__ import annotations
import collections.abc
import numpy
import numpy.typing
import typing
__all__: list[str] = ['TrainedPinn', 'reference', 'train', 'train_defaults']
class TrainedPinn:
    """
    A trained LPINN/PINN (use fieldlab.pinn.load).
    """
    def __init__(self, checkpoint: str) -> None:
        ...
    def characteristics(self, x0: typing.Any, t: typing.Any) -> numpy.typing.NDArray[numpy.float64]:
        """
        LPINN: X(x0, t) unwrapped, [len(t), len(x0)] (new float64 array).
        """
    def evaluate(self, nx: typing.SupportsInt | typing.SupportsIndex = 256, nt: typing.SupportsInt | typing.SupportsIndex = 100) -> dict:
        """
        Relative L2, max error, loss terms, reference method, grid (a dict).
        """
    def predict(self, x: typing.Any, t: typing.Any) -> numpy.typing.NDArray[numpy.float64]:
        """
        u [len(t), len(x)] on the Eulerian grid (new float64 array).
        """
    @property
    def config(self) -> str:
        """
        The task configuration (YAML).
        """
    @property
    def method(self) -> str:
        """
        'lpinn' or 'pinn'.
        """
    @property
    def model(self) -> str:
        """
        The network's registry name.
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
    def position(self) -> dict:
        """
        Where the run stands.
        """
    @property
    def problem(self) -> str:
        """
        The problem in one line.
        """
def reference(options: dict, x: typing.Any, t: typing.Any, reporter: typing.Any = None) -> dict:
    """
    The exact/reference solution u [len(t), len(x)] of the problem the keywords give.
    """
def train(method: str, out: str, model_keys: collections.abc.Mapping[str, str], options: dict, reporter: typing.Any = None) -> dict:
    """
    nn::run_convection_pinn_training: the whole `fieldlab train lpinn|pinn` run.
    """
def train_defaults(method: str) -> dict:
    """
    The training keywords and their defaults for convection (the CLI's train lpinn|pinn).
    """
