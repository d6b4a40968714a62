"""Optional dependencies (tqdm, matplotlib, xarray, torch): imported only when a feature needs
them, and a missing one is an ImportError that names the pip package to install."""

from __future__ import annotations

import importlib
from types import ModuleType


def require(module: str, package: str, feature: str) -> ModuleType:
    """``import module`` or raise ImportError saying ``pip install package`` for ``feature``."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(
            f"{feature} needs the optional package '{package}': pip install {package}"
        ) from e
