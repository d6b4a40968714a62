"""fieldlab.open: native, PDEArena and PDEBench files read lazily, equal to h5py's reads;
coordinates, attributes, statistics as `fieldlab info --json`, completion marks, to_xarray, and
bad input as the mapped exceptions."""

from __future__ import annotations

import json

import h5py
import numpy as np
import pytest

import fieldlab


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One small file per layout: {layout: (path, {field: h5py-read array (N, T, nx, ny)})}."""
    root = tmp_path_factory.mktemp("open")
    native = root / "ns2d.h5"
    fieldlab.generate("ns2d", native, trajectories=3, resolution=16, frames=6, dt_out=0.5,
                      fields=["vorticity", "u"], seed=1)
    arena = root / "smoke_train.h5"
    fieldlab.generate("smoke2d", arena, layout="pdearena", trajectories=2, resolution=12,
                      steps=12, skip=0, every=2, buoyancy_range=[0.2, 0.5])
    bench = root / "swe2d.h5"
    fieldlab.generate("swe2d", bench, layout="pdebench", trajectories=2, resolution=8, frames=5)
    out = {}
    with h5py.File(native) as f:
        out["native"] = (native, {k: f[k][()] for k in ("vorticity", "u")})
    with h5py.File(arena) as f:
        out["pdearena"] = (arena, {k: f["train"][k][()] for k in ("u", "vx", "vy")})
    with h5py.File(bench) as f:
        # PDEBench: one group per sample, data (T, nx, ny, C) with the channels in order.
        stacked = np.stack([f[f"{i:04d}/data"][()] for i in range(2)])  # (N, T, nx, ny, C)
        names = ["eta", "u", "v", "vorticity"]
        out["pdebench"] = (bench, {n: stacked[..., c] for c, n in enumerate(names)})
    return out


KEYS = [
    (0,),
    (-1,),
    (1, 2),
    (1, slice(None, 3)),
    (slice(None), -1),
    (Ellipsis, 0),
    (0, slice(None, None, 2)),
    (-1, slice(None, None, -1), slice(2, 5), 1),
    (slice(1, None), slice(4, 0, -2), Ellipsis),
    (0, 1, 2, 3),
    (slice(None),),
    (slice(5, 2),),
]


@pytest.mark.parametrize("layout", ["native", "pdearena", "pdebench"])
def test_fields_and_slices_equal_h5py(files, layout):
    path, expected = files[layout]
    with fieldlab.open(path) as ds:
        assert ds.layout == layout
        assert ds.fields == list(expected)
        first = next(iter(expected.values()))
        assert ds.shape == first.shape
        for name, values in expected.items():
            field = ds[name]
            assert field.shape == values.shape and field.dtype == values.dtype
            assert np.array_equal(np.asarray(field), values)
            for key in KEYS:
                got = field[key]
                assert got.dtype == values.dtype, key
                assert got.shape == values[key].shape, key
                assert np.array_equal(got, values[key]), key


def test_a_slice_reads_only_its_frames(files):
    path, expected = files["native"]
    with fieldlab.open(path) as ds:
        before = ds._core.frames_read
        assert np.array_equal(ds["vorticity"][2, :3], expected["vorticity"][2, :3])
        assert ds._core.frames_read - before == 3
        ds["u"][1, 4]
        assert ds._core.frames_read - before == 4
        ds["u"][:, ::5]  # strided: frames 0 and 5 of each of 3 trajectories, never the gaps
        assert ds._core.frames_read - before == 10


def test_out_of_range_and_bad_indices(files):
    path, _ = files["native"]
    with fieldlab.open(path) as ds:
        field = ds["vorticity"]
        for key in [(3,), (-4,), (0, 6), (0, -7), (0, 0, 16), (0, 0, 0, -17)]:
            with pytest.raises(IndexError, match="out of bounds"):
                field[key]
        with pytest.raises(IndexError, match="too many indices"):
            field[0, 0, 0, 0, 0]
        with pytest.raises(IndexError, match="basic indexing"):
            field[[0, 1]]
        with pytest.raises(IndexError, match="single ellipsis"):
            field[..., 0, ...]
        with pytest.raises(KeyError, match="no field 'pressure'"):
            ds["pressure"]


def test_coordinates_attributes_and_completion(files):
    path, _ = files["native"]
    with fieldlab.open(path) as ds, h5py.File(path) as f:
        assert np.array_equal(ds.x, f["x"][()]) and np.array_equal(ds.y, f["y"][()])
        assert np.array_equal(ds.t, [0, 0.5, 1.0, 1.5, 2.0, 2.5])
        assert np.array_equal(ds.trajectory_times(2), ds.t)
        assert ds.completed.tolist() == [True, True, True] and ds.complete
        attrs = ds.attributes
        assert attrs["layout"] == "native" and attrs["seed"] == "1"
        assert attrs["command_line"].startswith("fieldlab.generate('ns2d'")
    arena, _ = files["pdearena"]
    with fieldlab.open(arena) as ds, h5py.File(arena) as f:
        assert np.array_equal(ds.trajectory_parameter("buo_y"), f["train/buo_y"][()])
        assert np.array_equal(ds.trajectory_times(1), f["train/t"][1])


@pytest.mark.parametrize("layout", ["native", "pdearena", "pdebench"])
def test_statistics_are_fieldlab_infos(files, layout, run_cli):
    path, expected = files[layout]
    info = json.loads(run_cli("info", path, "--json").stdout)
    with fieldlab.open(path) as ds:
        for name, values in expected.items():
            s = ds.statistics(name)
            cli = info["fields"][name]
            for key in ("min", "max", "mean", "std", "non_finite"):
                assert s[key] == pytest.approx(cli[key], rel=1e-12, abs=1e-300), (name, key)
            assert s["count"] == values.size
            assert s["mean"] == pytest.approx(values.astype(np.float64).mean(), rel=1e-9, abs=1e-12)
            assert s["std"] == pytest.approx(values.astype(np.float64).std(), rel=1e-9)
        assert set(ds.statistics()) == set(expected)


def test_an_interrupted_partial_file_shows_its_completion(tmp_path):
    out = tmp_path / "stopped.h5"

    def stop(done, total, label, note):
        if done >= 2:
            raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        fieldlab.generate("ns2d", out, trajectories=12, resolution=16, frames=8, threads=1,
                          progress=stop)
    with fieldlab.open(tmp_path / "stopped.h5.partial") as ds:
        done = ds.completed
        assert not ds.complete and 2 <= done.sum() < 12
        assert ds.statistics("vorticity")["count"] == done.sum() * 8 * 16 * 16


def test_to_xarray(files):
    xr = pytest.importorskip("xarray")
    path, expected = files["native"]
    with fieldlab.open(path) as ds:
        x = ds.to_xarray()
        assert isinstance(x, xr.Dataset)
        assert x["vorticity"].dims == ("trajectory", "time", "x", "y")
        assert np.array_equal(x["u"].values, expected["u"])
        assert np.array_equal(x["time"].values, ds.t)
        assert x.attrs["layout"] == "native"


def test_missing_corrupt_and_closed_files(tmp_path, files):
    with pytest.raises(fieldlab.FileError):
        fieldlab.open(tmp_path / "missing.h5")
    junk = tmp_path / "junk.h5"
    junk.write_bytes(b"not an HDF5 file at all" * 100)
    with pytest.raises(fieldlab.FileError):
        fieldlab.open(junk)
    with h5py.File(tmp_path / "other.h5", "w") as f:
        f["something"] = np.zeros(3)
    with pytest.raises(fieldlab.FileError):
        fieldlab.open(tmp_path / "other.h5")
    # A truncated copy of a real file.
    path, _ = files["native"]
    data = path.read_bytes()
    (tmp_path / "cut.h5").write_bytes(data[: len(data) // 2])
    with pytest.raises(fieldlab.Error):
        with fieldlab.open(tmp_path / "cut.h5") as ds:
            np.asarray(ds["vorticity"])
    ds = fieldlab.open(path)
    ds.close()
    assert ds.closed
    with pytest.raises(fieldlab.UsageError, match="closed"):
        ds.shape
