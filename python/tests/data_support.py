"""Helpers of the dataset tests (test_generate, test_open, test_loader): h5py comparisons."""

from __future__ import annotations

from typing import Dict

import h5py
import numpy as np

# Attributes that say when or how a file was made, not what it holds.
PROVENANCE = {"command_line", "config", "created", "completed_at"}


def datasets_of(path: str) -> Dict[str, h5py.Dataset]:
    """{path: dataset} of every dataset in the file (the file stays open with them)."""
    f = h5py.File(path, "r")
    out: Dict[str, h5py.Dataset] = {}
    f.visititems(lambda name, obj: out.__setitem__(name, obj) if isinstance(obj, h5py.Dataset)
                 else None)
    return out


def attributes_of(path: str) -> Dict[str, Dict[str, object]]:
    """{object path: {attribute: value}} of every group and dataset, provenance left out."""
    out: Dict[str, Dict[str, object]] = {}
    with h5py.File(path, "r") as f:
        def visit(name: str, obj: object) -> None:
            out[name] = {k: np.asarray(v).tolist() for k, v in obj.attrs.items()
                         if k not in PROVENANCE}

        visit("/", f)
        f.visititems(visit)
    return out


def text_attribute(path: str, name: str) -> str:
    """A root string attribute as str (h5py gives bytes for fixed-length strings)."""
    with h5py.File(path, "r") as f:
        value = f.attrs[name]
    return value.decode() if isinstance(value, bytes) else str(value)


def assert_same_datasets(a: str, b: str) -> int:
    """Every dataset of `a` and `b`: the same names, dtypes, shapes and values (bit for bit);
    returns how many were compared."""
    da, db = datasets_of(a), datasets_of(b)
    assert sorted(da) == sorted(db)
    for name in da:
        x, y = da[name], db[name]
        assert x.dtype == y.dtype, name
        assert x.shape == y.shape, name
        assert x[()].tobytes() == y[()].tobytes(), name
    return len(da)
